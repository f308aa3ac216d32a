/** A fresh chat application: token login at the handshake, chat names from the token's user. */
module fresh.app {
    requires transitive dev.chatengine.transport.jdk; // App.start returns a ChatServer
    exports app;
}
