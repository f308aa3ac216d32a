/** Runs the fresh application once and checks it, with the test kit, on the module path. */
module fresh.check {
    requires fresh.app;
    requires dev.chatengine.testing;
}
