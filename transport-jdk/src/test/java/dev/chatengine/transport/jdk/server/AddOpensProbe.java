package dev.chatengine.transport.jdk.server;

/** Run in a JVM without the add-opens flag by {@link AddOpensCheckTest}: prints what creating a handler says. */
public final class AddOpensProbe {

    private AddOpensProbe() {
    }

    public static void main(String[] args) {
        try {
            WebSocketHandler.create(WebSocketConfig.defaults(), connection -> { });
            System.out.println("CREATED");
        } catch (IllegalStateException e) {
            System.out.println("REFUSED: " + e.getMessage());
        }
    }
}
