package dev.ferry.testing.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A front end that keeps accepting connections on loopback and closes each one as soon as the request
 * starts to arrive, as a router or load balancer in front of a dead MinIO does: the client connects fine
 * and then loses the connection mid-request, every time. Counts the connections it dropped.
 */
public final class DroppingFrontEnd implements AutoCloseable {

    private final ServerSocket listener;
    private final Thread acceptor;
    private final AtomicInteger dropped = new AtomicInteger();

    private DroppingFrontEnd(ServerSocket listener) {
        this.listener = listener;
        this.acceptor = new Thread(this::acceptUntilClosed, "dropping-front-end");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static DroppingFrontEnd start() throws IOException {
        return new DroppingFrontEnd(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** Connections accepted and dropped so far. */
    public int dropped() {
        return dropped.get();
    }

    private void acceptUntilClosed() {
        while (!listener.isClosed()) {
            try (Socket connection = listener.accept()) {
                InputStream request = connection.getInputStream();
                request.read(); // the request has started: now drop it
                dropped.incrementAndGet();
            } catch (IOException closedOrReset) {
                // The listener was closed (end of test), or the client gave up first: either way, next.
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
