/**
 * Chat protocol v1: {@link dev.chatengine.engine.chat.ChatService} is a
 * {@link dev.chatengine.engine.ClientHandler} that speaks it over any transport, configured by
 * {@link dev.chatengine.engine.chat.ChatConfig}; {@link dev.chatengine.engine.chat.ChatMetrics} counts
 * what it does. Requests and replies are JSON objects, read and written with
 * {@code dev.chatengine.engine.json}.
 */
package dev.chatengine.engine.chat;
