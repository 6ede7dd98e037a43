package io.ferry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP relay between ferry and a real test server, for faults a {@code KILL} cannot make and that must hit only
 * the run under test: every connection through it can be cut at once ({@link #cutAll}), the server can look down
 * (new connections are refused, {@link #down}) or frozen (bytes stop flowing both ways, {@link #freeze}), as a
 * server under SIGSTOP. Bytes are passed on unchanged.
 */
public final class FaultProxy implements AutoCloseable {
    private final ServerEndpoint server;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition thawed = lock.newCondition();
    private volatile boolean frozen;
    private volatile boolean down;
    private volatile boolean closed;

    private FaultProxy(ServerEndpoint server) throws IOException {
        this.server = server;
        this.listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("fault-proxy-accept").start(this::accept);
    }

    /** A relay to {@code server}, listening on a free loopback port. */
    public static FaultProxy to(ServerEndpoint server) throws IOException {
        return new FaultProxy(server);
    }

    /** {@code server} as reached through the relay: same users, the relay's address. */
    public ServerEndpoint endpoint() {
        return new ServerEndpoint(server.role() + " via proxy", "127.0.0.1", listener.getLocalPort(), server.user(),
                server.password(), server.rootUser(), server.rootPassword());
    }

    /** Connections accepted so far. */
    public int connections() {
        return accepted.get();
    }

    /** Closes every open connection, both ways, as a network failure or a killed session would. */
    public void cutAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    /** While down, open connections are cut and new ones are closed at once: a server that is restarting. */
    public void down(boolean isDown) {
        down = isDown;
        if (isDown) {
            cutAll();
        }
    }

    /** While frozen, no byte moves either way and connections stay open: a server stopped with SIGSTOP. */
    public void freeze(boolean isFrozen) {
        lock.lock();
        try {
            frozen = isFrozen;
            if (!isFrozen) {
                thawed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            if (down) {
                closeQuietly(client);
                continue;
            }
            Thread.ofVirtual().name("fault-proxy-connect").start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(server.host(), server.port()), 5_000);
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        sockets.add(client);
        sockets.add(upstream);
        Thread.ofVirtual().name("fault-proxy-up").start(() -> pump(client, upstream));
        Thread.ofVirtual().name("fault-proxy-down").start(() -> pump(upstream, client));
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitThawed();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the other side or a fault closed the connection
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private void awaitThawed() throws InterruptedException {
        if (!frozen) {
            return;
        }
        lock.lock();
        try {
            while (frozen && !closed) {
                thawed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        freeze(false);
        closeQuietly(listener);
        cutAll();
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
