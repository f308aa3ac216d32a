/**
 * The chat engine: a {@link dev.chatengine.engine.Hub} of {@link dev.chatengine.engine.Room}s and
 * {@link dev.chatengine.engine.Client}s, each client with a read pump and a write pump on virtual
 * threads and a bounded send queue. Transports plug in through {@link dev.chatengine.engine.transport}.
 */
package dev.chatengine.engine;
