/**
 * The chat engine: hub, rooms, clients and pumps ({@code dev.chatengine.engine}), the seam a
 * transport implements ({@code dev.chatengine.engine.transport}), the JSON reader and writer
 * ({@code dev.chatengine.engine.json}) and chat protocol v1 ({@code dev.chatengine.engine.chat}).
 * No dependencies beyond {@code java.base}.
 */
module dev.chatengine.engine {
    exports dev.chatengine.engine;
    exports dev.chatengine.engine.transport;
    exports dev.chatengine.engine.json;
    exports dev.chatengine.engine.chat;
    exports dev.chatengine.engine.chat.spi;
}
