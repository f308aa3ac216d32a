/**
 * The README's examples, each a small program with a {@code main} and a {@code start} method that
 * its test calls: {@link dev.chatengine.examples.TokenAuthentication} (a handshake hook that admits
 * a token's user), {@link dev.chatengine.examples.TlsChat} (chat over {@code wss://}),
 * {@link dev.chatengine.examples.ShoutBox} (a protocol of your own on {@code ClientHandler}).
 * The text between {@code // README:name} and {@code // README:end} appears verbatim in the README
 * (checked by {@code ReadmeExamplesTest}).
 */
package dev.chatengine.examples;
