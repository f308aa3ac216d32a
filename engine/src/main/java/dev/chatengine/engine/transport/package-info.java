/**
 * The seam a transport implements: {@link dev.chatengine.engine.transport.Connection} and
 * {@link dev.chatengine.engine.transport.MessageEncoder}. The engine knows nothing of the bytes on the wire.
 */
package dev.chatengine.engine.transport;
