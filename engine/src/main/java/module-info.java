/**
 * The chat engine: hub, rooms, clients and pumps ({@code dev.chatengine.engine}), the seam a
 * transport implements ({@code dev.chatengine.engine.transport}) and chat protocol v1
 * ({@code dev.chatengine.engine.chat}). The JSON reader and writer ({@code dev.chatengine.engine.json})
 * are internal.
 * No dependencies beyond {@code java.base}.
 */
@SuppressWarnings("module") // the qualified export names the automatic module dev.chatengine.testing
module dev.chatengine.engine {
    exports dev.chatengine.engine;
    exports dev.chatengine.engine.transport;
    // The JSON reader and writer are the chat protocol's internals, not API; the test kit's chat
    // client parses replies with them (an automatic module, so the compiler cannot see it here).
    exports dev.chatengine.engine.json to dev.chatengine.testing;
    exports dev.chatengine.engine.chat;
    exports dev.chatengine.engine.chat.spi;
}
