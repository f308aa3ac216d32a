package dev.chatengine.transport.jdk.protocol;

/** STUB: a protocol violation that carries the close status to answer it with. */
public final class ProtocolException extends Exception {
    private final CloseStatus closeStatus;

    public ProtocolException(CloseStatus closeStatus) {
        super(closeStatus.reason());
        this.closeStatus = closeStatus;
    }

    public CloseStatus closeStatus() {
        return closeStatus;
    }
}
