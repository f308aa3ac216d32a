/**
 * The test kit (artifact {@code chatengine-testing}): see the package {@code dev.chatengine.testing}.
 *
 * <p>This descriptor lives apart from the sources ({@code src/main/module}), because the engine's
 * own tests compile those sources into the engine's test build, where a second descriptor would not
 * belong.
 */
module dev.chatengine.testing {
    requires transitive dev.chatengine.engine;
    requires java.net.http;

    exports dev.chatengine.testing;
}
