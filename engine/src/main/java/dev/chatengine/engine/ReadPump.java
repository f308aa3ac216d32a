package dev.chatengine.engine;

import dev.chatengine.engine.transport.Connection;
import dev.chatengine.engine.transport.Inbound;

import java.io.IOException;

/**
 * A client's read pump: runs on the thread that called {@link Hub#serve} (the transport's
 * per-connection virtual thread) and is the only caller of {@link Connection#read()} and of the
 * client's {@link ClientHandler}.
 *
 * <p>It hands every message to the handler, notes every inbound event as activity (for the pong
 * wait), and ends when the connection ends: {@code read()} returns {@link Inbound.Closed} or throws
 * (which also happens when the hub aborts the connection). Then it waits for the write pump to
 * finish the close (starting it if it had nothing to write before: see {@link WritePump#await()}), calls
 * {@link ClientHandler#onClose} while the client is still in its rooms, removes it from its rooms
 * and from the hub. A closing client's further messages are read and ignored, so that the
 * transport can finish its close handshake.
 */
final class ReadPump {

    private static final System.Logger LOG = System.getLogger(ReadPump.class.getName());

    private final Hub hub;
    private final Client client;
    private final Connection connection;
    private final ClientHandler handler;
    private final HubMetrics metrics;

    ReadPump(Hub hub, Client client, ClientHandler handler, HubMetrics metrics) {
        this.hub = hub;
        this.client = client;
        this.connection = client.connection();
        this.handler = handler;
        this.metrics = metrics;
    }

    void run() {
        try {
            callHandler("onOpen", () -> handler.onOpen(client));
            readUntilEnd();
        } finally {
            client.close(DisconnectReason.CONNECTION_LOST); // no-op unless the loop ended abnormally
            client.pump().await();
            DisconnectReason reason = client.closeReason();
            callHandler("onClose", () -> handler.onClose(client, reason));
            client.leaveAllRooms();
            hub.unregister(client);
        }
    }

    private void readUntilEnd() {
        while (true) {
            Inbound event;
            try {
                event = connection.read();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "read from client " + client.id() + " ended: " + e);
                client.close(DisconnectReason.CONNECTION_LOST);
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "read from client " + client.id() + " failed", e);
                client.close(DisconnectReason.CONNECTION_LOST);
                return;
            }
            if (event == null) {
                LOG.log(System.Logger.Level.WARNING, "transport returned null from read(); closing client " + client.id());
                client.close(DisconnectReason.CONNECTION_LOST);
                return;
            }
            client.pump().markActivity();
            switch (event) {
                case Inbound.Text text -> {
                    metrics.messageReceived();
                    if (client.isOpen()) {
                        try {
                            handler.onText(client, text);
                        } catch (RuntimeException | Error e) {
                            handlerFailed("onText", e);
                        }
                    }
                }
                case Inbound.Binary binary -> {
                    metrics.messageReceived();
                    if (client.isOpen()) {
                        try {
                            handler.onBinary(client, binary);
                        } catch (RuntimeException | Error e) {
                            handlerFailed("onBinary", e);
                        }
                    }
                }
                case Inbound.Pong pong -> {
                    // Activity is all a pong means.
                }
                case Inbound.Closed closed -> {
                    client.close(closed.reason());
                    return;
                }
            }
        }
    }

    /** Runs a handler callback; an exception is logged and closes the client ({@link DisconnectReason#SERVER_ERROR}), and never escapes. */
    private void callHandler(String callback, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            handlerFailed(callback, e);
        }
    }

    private void handlerFailed(String callback, Throwable e) {
        if (e instanceof VirtualMachineError vmError) {
            throw vmError;
        }
        LOG.log(System.Logger.Level.WARNING, "handler." + callback + " threw for client " + client.id()
                + " (" + client.remoteAddress() + "); closing it", e);
        client.close(DisconnectReason.SERVER_ERROR);
    }
}
