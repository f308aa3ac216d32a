package dev.chatengine.engine.chat.spi;

/**
 * A whisper on its way to its recipient's node ({@link ChatBroker#sendDirect}).
 *
 * @param from the sender's name as it logged in
 * @param to   the recipient's name as it logged in
 * @param ts   epoch milliseconds when the sender's node accepted it
 */
public record Direct(String from, String to, String text, long ts) {
}
