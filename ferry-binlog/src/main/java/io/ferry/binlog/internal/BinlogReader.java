package io.ferry.binlog.internal;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializationException;
import com.github.shyiko.mysql.binlog.network.ServerException;
import io.ferry.binlog.BinlogEvent;
import io.ferry.binlog.EventSink;
import io.ferry.binlog.StatementExecuted;
import io.ferry.binlog.TableSchemas;
import io.ferry.core.FerryException;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.RunFailed;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.db.DataSources;
import io.ferry.core.db.RetryPolicy;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming loop behind {@code BinlogStreamer}: one replication connection at a time, read on the calling
 * thread, reconnected from the last resume point after a failure. All library types stay in here.
 */
public final class BinlogReader {
    private static final Logger log = LoggerFactory.getLogger(BinlogReader.class);
    private static final long MIN_RANDOM_SERVER_ID = 1_000_000L;
    private static final long MAX_RANDOM_SERVER_ID = 4_000_000_000L;
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final DatabaseConfig db;
    private final long requestedServerId;
    private final TableSchemas schemas;
    /** Reconnections after a broken stream; any break is worth one, a refused login ends the run before. */
    private final RetryPolicy reconnects;

    private final GtidsSeen gtids = new GtidsSeen();
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Thread runner;
    private volatile BinaryLogClient client;
    private volatile boolean stopRequested;
    private volatile boolean stopReached;
    private volatile BinlogPosition stopPosition;
    private volatile BinlogPosition endOfLastEvent = BinlogPosition.NONE;
    private volatile BinlogPosition lastStreamed = BinlogPosition.NONE;
    private volatile Instant lastEventTime;
    private final boolean loggedQueries;

    /** @param loggedQueries whether to emit {@link io.ferry.binlog.RowsQueryLogged} events */
    public BinlogReader(DatabaseConfig db, long serverId, TableSchemas schemas, int readRetries, boolean loggedQueries) {
        if (serverId < 0 || serverId > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("replication server id " + serverId + " is not in 0..4294967295");
        }
        this.db = db;
        this.requestedServerId = serverId;
        this.schemas = schemas;
        this.loggedQueries = loggedQueries;
        this.reconnects = RetryPolicy.of(Math.max(0, readRetries)).waiting(RetryPolicy.every(RETRY_PAUSE))
                .retrying(e -> e instanceof BrokenStream);
    }

    /** The source's current binlog position: the end of the last event it wrote. */
    public static BinlogPosition currentPosition(Connection c) throws SQLException {
        String statement = ServerInfo.of(c).binlogStatusStatement();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(statement)) {
            if (!rs.next()) {
                throw new PreconditionFailed(statement + " returned nothing: binary logging is off on the source;"
                        + " ferry needs log_bin=ON with binlog_format=ROW and binlog_row_image=FULL");
            }
            return new BinlogPosition(rs.getString(1), rs.getLong(2));
        }
    }

    public BinlogPosition lastStreamed() {
        return lastStreamed;
    }

    /** See {@code BinlogStreamer.readThrough}. */
    public BinlogPosition readThrough() {
        return endOfLastEvent;
    }

    public Instant lastEventTime() {
        return lastEventTime;
    }

    /** See {@code BinlogStreamer.gtidsSeen}. */
    public String gtidsSeen() {
        return gtids.current();
    }

    public boolean isConnected() {
        BinaryLogClient c = client;
        return c != null && c.isConnected();
    }

    /** See {@code BinlogStreamer.run}. */
    public void run(ResumablePosition from, EventSink sink) throws InterruptedException {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a binlog streamer runs once; create a new one to stream again");
        }
        runner = Thread.currentThread();
        try {
            Source source = inspectSource();
            BinlogPosition start = from.resumeFrom().isNone() ? source.current() : from.resumeFrom();
            BinlogPosition skipThrough = from.event();
            endOfLastEvent = start;
            var failures = reconnects.budget((retry, e, wait) -> log.warn(
                    "binlog stream of {} broke at {} ({}); reconnecting, attempt {} of {}", db.describe(),
                    ((BrokenStream) e).at, describe(e.getCause()), retry, reconnects.retries()));
            while (!stopRequested && !stopReached) {
                var attempt = new Attempt(new EventTranslator(start, loggedQueries), skipThrough, sink);
                attempt.connect(source);
                if (attempt.fatal != null) {
                    throw attempt.fatal;
                }
                if (attempt.interrupted && !stopRequested) {
                    throw new InterruptedException("interrupted while streaming the binlog of " + db.describe());
                }
                if (stopRequested || stopReached || attempt.finished) {
                    return;
                }
                // Restart at the last transaction boundary; skip again what was already emitted.
                start = attempt.translator.resumeFrom();
                if (!lastStreamed.isNone() && lastStreamed.compareTo(skipThrough) > 0) {
                    skipThrough = lastStreamed;
                }
                if (attempt.sawEvents) {
                    failures.restart(); // the stream progressed: the retries count from this break
                }
                try {
                    failures.failed(new BrokenStream(start, attempt.failure));
                } catch (BrokenStream e) {
                    throw new RunFailed("lost the binlog stream of " + db.describe() + " at " + start + " and "
                            + reconnects.retries() + " reconnection attempts failed: " + describe(attempt.failure),
                            attempt.failure);
                }
            }
        } catch (InterruptedException e) {
            if (!stopRequested) {
                throw e;
            }
        } finally {
            client = null;
            runner = null;
            if (stopRequested) {
                Thread.interrupted(); // stop() interrupts to release a sink blocked on back-pressure
            }
            finished.countDown();
        }
    }

    /** See {@code BinlogStreamer.stopAt}. */
    public void stopAt(BinlogPosition position) {
        stopPosition = position;
        if (endOfLastEvent.compareTo(position) >= 0) {
            stopReached = true;
            disconnect(client);
        }
    }

    /** See {@code BinlogStreamer.stop}. */
    public void stop() throws InterruptedException {
        stopRequested = true;
        disconnect(client);
        Thread r = runner;
        if (r != null && r != Thread.currentThread()) {
            r.interrupt();
        }
        if (started.get() && r != Thread.currentThread()) {
            finished.await();
        }
    }

    /** A stream that broke at {@code at}; the cause is {@code null} when the server closed it. */
    private static final class BrokenStream extends Exception {
        final BinlogPosition at;

        BrokenStream(BinlogPosition at, Exception cause) {
            super(null, cause, false, false);
            this.at = at;
        }
    }

    /** One replication connection, read until it ends. */
    private final class Attempt implements BinaryLogClient.EventListener, BinaryLogClient.LifecycleListener {
        final EventTranslator translator;
        final BinlogPosition skipThrough;
        final EventSink sink;
        BinaryLogClient connection;
        volatile FerryException fatal;
        volatile Exception failure;
        volatile boolean interrupted;
        volatile boolean finished;
        volatile boolean sawEvents;

        Attempt(EventTranslator translator, BinlogPosition skipThrough, EventSink sink) {
            this.translator = translator;
            this.skipThrough = skipThrough;
            this.sink = sink;
        }

        void connect(Source source) {
            BinlogPosition start = translator.resumeFrom();
            connection = BinlogClients.create(db, source.serverId(), source.info(), start, schemas);
            connection.registerEventListener(this);
            connection.registerLifecycleListener(this);
            client = connection;
            if (stopRequested || stopReached) {
                return;
            }
            log.info("streaming the binlog of {} from {} as replica server id {}", db.describe(), start, source.serverId());
            try {
                connection.connect();
            } catch (IOException | RuntimeException e) {
                failure = e;
                fatal = ConnectionRefusal.ofConnect(e, db, start); // a refused login, for one
            }
        }

        @Override
        public void onEvent(Event event) {
            if (fatal != null || finished || interrupted) {
                return;
            }
            try {
                sawEvents = true;
                if (event.getHeader().getEventType() == EventType.GTID && event.getData() instanceof GtidEventData g) {
                    gtids.add(g.getMySqlGtid());
                }
                List<BinlogEvent> translated = translator.translate(event);
                BinlogPosition start = translator.lastStart();
                if (event.getHeader().getTimestamp() > 0 && event.getHeader().getEventType() != EventType.HEARTBEAT) {
                    lastEventTime = Instant.ofEpochMilli(event.getHeader().getTimestamp());
                }
                BinlogPosition stop = stopPosition;
                if (!translated.isEmpty() && stop != null && start.compareTo(stop) >= 0) {
                    finish();
                    return;
                }
                for (BinlogEvent e : translated) {
                    if (e.position().event().compareTo(skipThrough) > 0) {
                        sink.accept(e);
                        lastStreamed = e.position().event();
                        if (e instanceof StatementExecuted statement) {
                            schemas.statementStreamed(statement);
                        }
                    }
                }
                endOfLastEvent = translator.end();
                if (stop != null && translator.end().compareTo(stop) >= 0) {
                    finish();
                }
            } catch (InterruptedException e) {
                interrupted = true;
                finish();
            } catch (FerryException e) {
                fatal = e;
                finish();
            } catch (RuntimeException e) {
                fatal = new RunFailed("cannot handle the binlog event at " + translator.lastStart() + " of "
                        + db.describe() + ": " + e, e);
                finish();
            }
        }

        private void finish() {
            finished = true;
            disconnect(connection);
        }

        @Override
        public void onConnect(BinaryLogClient c) {
        }

        @Override
        public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
            failure = ex;
            if (fatal == null && ex instanceof ServerException se) { // a failure of ferry's own comes first
                fatal = ConnectionRefusal.of(se, db, translator.resumeFrom());
            }
        }

        @Override
        public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
            // The library would skip the event and go on; losing an event is never acceptable.
            FerryException known = ferryCause(ex);
            String where = ex instanceof EventDataDeserializationException de
                    ? "the event " + de.getEventHeader() + " after " + translator.end() : "the event after " + translator.end();
            fatal = known != null ? known
                    : new RunFailed("cannot decode " + where + " of " + db.describe() + ": " + describe(ex), ex);
            finish();
        }

        @Override
        public void onDisconnect(BinaryLogClient c) {
        }
    }

    private record Source(ServerInfo info, long serverId, BinlogPosition current) {
    }

    private Source inspectSource() {
        try (Connection c = DataSources.connect(db)) {
            ServerInfo info = ServerInfo.of(c);
            long serverId = requestedServerId != 0 ? requestedServerId : unusedServerId(c, info);
            BinlogPosition current = currentPosition(c);
            if (!info.isMariaDb() && gtidModeOn(c)) {
                gtids.startAfterPositionWasRead(c);
            }
            return new Source(info, serverId, current);
        } catch (SQLException e) {
            throw DataSources.unreachable("Source", db, e);
        }
    }

    /** Whether a MySQL source gives every transaction a GTID. */
    public static boolean gtidModeOn(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@GLOBAL.gtid_mode")) {
            return rs.next() && "ON".equalsIgnoreCase(rs.getString(1));
        }
    }

    /** A random server id no replica of the source uses (as far as the source lets us see). */
    private static long unusedServerId(Connection c, ServerInfo info) {
        Set<Long> taken = new HashSet<>();
        String show = info.replicasStatement();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(show)) {
            while (rs.next()) {
                taken.add(rs.getLong(1));
            }
        } catch (SQLException e) {
            log.debug("cannot list the replicas of the source ({}); choosing a random server id blindly", e.getMessage());
        }
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong(MIN_RANDOM_SERVER_ID, MAX_RANDOM_SERVER_ID + 1);
        } while (taken.contains(id));
        return id;
    }


    private static void disconnect(BinaryLogClient c) {
        if (c == null) {
            return;
        }
        try {
            c.disconnect();
        } catch (IOException e) {
            log.debug("closing the binlog connection: {}", e.toString());
        }
    }

    private static FerryException ferryCause(Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (x instanceof FerryException f) {
                return f;
            }
        }
        return null;
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "the server closed the connection";
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
