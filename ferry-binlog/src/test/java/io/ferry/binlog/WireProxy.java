package io.ferry.binlog;

import io.ferry.core.config.DatabaseConfig;
import io.ferry.testing.ServerEndpoint;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP relay in front of a real test server, for tests that must break or shape a connection at an exact point:
 * it can hide the server's TLS support (clients then talk in the clear, which caching_sha2_password handles with an
 * RSA key exchange) and cut a replication stream just before the commit of a transaction that touched a given table.
 * It reads MySQL protocol packets (a 3-byte length and a sequence number, then the payload) only to do that; every
 * byte is passed on unchanged otherwise.
 */
final class WireProxy implements AutoCloseable {
    /** CLIENT_SSL in the server greeting's capability flags. */
    private static final int CLIENT_SSL = 0x0800;
    private static final int COM_BINLOG_DUMP = 0x12;
    private static final int COM_BINLOG_DUMP_GTID = 0x1e;
    private static final int QUERY_EVENT = 2;
    private static final int XID_EVENT = 16;
    private static final int TABLE_MAP_EVENT = 19;
    private static final int MAX_PACKET = 0xFFFFFF;

    private final ServerSocket listener;
    private final ServerEndpoint server;
    private final boolean hideTls;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicReference<Cut> cut = new AtomicReference<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private record Cut(byte[] table, Runnable before, CompletableFuture<Void> done) {
    }

    private WireProxy(ServerEndpoint server, boolean hideTls) throws IOException {
        this.server = server;
        this.hideTls = hideTls;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("wire-proxy-accept").start(this::accept);
    }

    /** A relay to {@code server}; with {@code hideTls} its clients see a server without TLS. */
    static WireProxy to(ServerEndpoint server, boolean hideTls) throws IOException {
        return new WireProxy(server, hideTls);
    }

    /** {@code config} with its host and port replaced by the relay's. */
    DatabaseConfig relay(DatabaseConfig config) {
        return new DatabaseConfig("127.0.0.1", listener.getLocalPort(), config.net(), config.user(), config.password(),
                config.collation(), config.params(), config.tls(), config.readTimeout(), config.writeTimeout(),
                config.marginalia(), config.driver());
    }

    /** How many client connections the relay accepted. */
    int connections() {
        return connections.get();
    }

    /**
     * Closes the next replication stream that reaches the commit (XID or COMMIT) of a transaction with a TABLE_MAP of
     * {@code table}, after passing on every event before the commit and running {@code before}. Done once.
     */
    CompletableFuture<Void> cutBeforeCommitOf(String table, Runnable before) {
        var c = new Cut(table.getBytes(StandardCharsets.UTF_8), before, new CompletableFuture<>());
        cut.set(c);
        return c.done();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(server.host(), server.port()), 10_000);
                sockets.add(client);
                sockets.add(upstream);
                connections.incrementAndGet();
                var streaming = new AtomicBoolean();
                Thread.ofVirtual().start(() -> pump(() -> clientToServer(client, upstream, streaming), client, upstream));
                Thread.ofVirtual().start(() -> pump(() -> serverToClient(upstream, client, streaming), client, upstream));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private interface Flow {
        void run() throws IOException;
    }

    private static void pump(Flow flow, Socket a, Socket b) {
        try {
            flow.run();
        } catch (IOException e) {
            // one side went away
        } finally {
            closeQuietly(a);
            closeQuietly(b);
        }
    }

    private static void clientToServer(Socket client, Socket upstream, AtomicBoolean streaming) throws IOException {
        InputStream in = client.getInputStream();
        OutputStream out = upstream.getOutputStream();
        byte[] payload;
        while ((payload = readPacket(in, out)) != null) {
            if (payload.length > 0 && ((payload[0] & 0xFF) == COM_BINLOG_DUMP || (payload[0] & 0xFF) == COM_BINLOG_DUMP_GTID)) {
                streaming.set(true);
            }
        }
    }

    private void serverToClient(Socket upstream, Socket client, AtomicBoolean streaming) throws IOException {
        InputStream in = upstream.getInputStream();
        OutputStream out = client.getOutputStream();
        byte[] greeting = readPacketHeldBack(in);
        if (greeting == null) {
            return;
        }
        if (hideTls) {
            int at = 1;
            while (greeting[4 + at] != 0) {
                at++; // the server version, NUL-terminated
            }
            at += 1 + 4 + 8 + 1; // NUL, thread id, first scramble part, filler
            greeting[4 + at + 1] &= (byte) ~(CLIENT_SSL >> 8);
        }
        out.write(greeting);
        out.flush();
        boolean ours = false;
        boolean continuation = false;
        byte[] packet;
        while ((packet = readPacketHeldBack(in)) != null) {
            int length = packet.length - 4;
            // A binlog event packet: an OK byte, then the event header (timestamp 4, type 1, ...).
            if (streaming.get() && !continuation && length >= 20 && packet[4] == 0) {
                int type = packet[4 + 1 + 4] & 0xFF;
                Cut c = cut.get();
                if (type == TABLE_MAP_EVENT && c != null && contains(packet, c.table())) {
                    ours = true;
                } else if (ours && c != null && (type == XID_EVENT || (type == QUERY_EVENT && isCommit(packet)))) {
                    if (cut.compareAndSet(c, null)) {
                        c.before().run();
                        closeQuietly(client); // a plain close: the client reads what it got, then the end
                        c.done().complete(null);
                        return;
                    }
                }
            }
            continuation = length == MAX_PACKET;
            out.write(packet);
            out.flush();
        }
    }

    private static boolean isCommit(byte[] packet) {
        return contains(packet, "COMMIT".getBytes(StandardCharsets.US_ASCII));
    }

    /** Copies one packet from {@code in} to {@code out} and returns its payload; {@code null} at the end. */
    private static byte[] readPacket(InputStream in, OutputStream out) throws IOException {
        byte[] packet = readPacketHeldBack(in);
        if (packet == null) {
            return null;
        }
        out.write(packet);
        out.flush();
        byte[] payload = new byte[packet.length - 4];
        System.arraycopy(packet, 4, payload, 0, payload.length);
        return payload;
    }

    /**
     * One packet, header included, or {@code null} at the end of the stream. A payload of 2^24 - 1 bytes goes on in
     * the next packet, which is returned on its own.
     */
    private static byte[] readPacketHeldBack(InputStream in) throws IOException {
        byte[] header = in.readNBytes(4);
        if (header.length < 4) {
            return null;
        }
        int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        byte[] packet = new byte[4 + length];
        System.arraycopy(header, 0, packet, 0, 4);
        int read = in.readNBytes(packet, 4, length);
        if (read < length) {
            throw new EOFException("packet cut short");
        }
        return packet;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(WireProxy::closeQuietly);
    }
}
