package io.ferry.binlog;

import io.ferry.binlog.internal.BinlogReader;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Tails the source binlog as a replica and turns it into {@link BinlogEvent}s with values in ferry's text form.
 *
 * <p>Positions: an event's {@code position().event()} is its own position in the binlog, the end offset of the
 * event in the file (so a position read with {@link #currentPosition} covers every event written before it), counted
 * by the streamer, not taken from event headers (MariaDB 11.4 logs none inside transactions). The events of a MySQL
 * compressed transaction (one TRANSACTION_PAYLOAD event) are numbered inside it, the commit at its end.
 * {@code position().resumeFrom()} is the end of the last complete transaction, never inside a TABLE_MAP/rows group
 * or a compressed transaction: always a position the server can stream from. {@link #run} restarts at
 * {@code resumeFrom} and drops events up to {@code event}, so each event reaches the sink exactly once across
 * restarts.
 *
 * <p>Values: rows are decoded against the {@link TableSchemas} given, and equal byte for byte what
 * {@code RowReader} reads over JDBC (MySQL JSON values with scalars their text does not type in
 * {@code TypedJson}'s form). A column missing from a row image (MariaDB does
 * not log virtual generated columns) is {@code null}; generated columns are never written or compared.
 *
 * <p>One streamer runs once. {@link #stop}, {@link #stopAt} and the observability getters are thread-safe.
 */
public final class BinlogStreamer implements AutoCloseable {
    private final BinlogReader reader;

    /**
     * @param source      the source server
     * @param serverId    the replica server id to stream as; 0 picks a random unused id in 1,000,000..4,000,000,000
     * @param schemas     the schemas of the tables to decode; rows of other tables are skipped
     * @param readRetries how many times to reconnect (1 s apart) after the stream breaks, before failing
     */
    public BinlogStreamer(DatabaseConfig source, long serverId, TableSchemas schemas, int readRetries) {
        this(new BinlogReader(source, serverId, schemas, readRetries, false));
    }

    private BinlogStreamer(BinlogReader reader) {
        this.reader = reader;
    }

    /**
     * A streamer that also hands on the statement text the server logged before each statement's rows events
     * ({@link RowsQueryLogged}), for a watcher of who wrote the rows; the other arguments as for the constructor.
     */
    public static BinlogStreamer withLoggedQueries(DatabaseConfig source, long serverId, TableSchemas schemas,
                                                   int readRetries) {
        return new BinlogStreamer(new BinlogReader(source, serverId, schemas, readRetries, true));
    }

    /**
     * The source's current binlog position ({@code SHOW MASTER STATUS}, or {@code SHOW BINARY LOG STATUS} on
     * MySQL 8.4+): the end of the last event it wrote.
     *
     * @throws io.ferry.core.PreconditionFailed when binary logging is off
     */
    public static BinlogPosition currentPosition(Connection source) throws SQLException {
        return BinlogReader.currentPosition(source);
    }

    /**
     * Streams on the calling thread from {@code from.resumeFrom()} (the current position when it is
     * {@link ResumablePosition#NONE}), handing every event after {@code from.event()} to {@code sink} in binlog
     * order, until {@link #stop} or {@link #stopAt}; then returns normally.
     *
     * @throws io.ferry.core.PreconditionFailed when the binlog file to read was purged from the source, or the source
     *                                          refuses the login, the REPLICATION SLAVE privilege or TLS
     * @throws io.ferry.core.RunFailed          when the stream broke more often than the read retries allow, or an
     *                                          event cannot be decoded exactly
     * @throws InterruptedException             when the thread was interrupted other than by {@link #stop}
     */
    public void run(ResumablePosition from, EventSink sink) throws InterruptedException {
        reader.run(from, sink);
    }

    /**
     * Stops after every event that starts before {@code position} has been emitted (with {@code position} read
     * from the source after writes stopped, that is every event it wrote); {@link #run} then returns normally.
     */
    public void stopAt(BinlogPosition position) {
        reader.stopAt(position);
    }

    /**
     * Stops as soon as possible and returns once {@link #run} has exited. Interrupts the streaming thread to
     * release a sink blocked on back-pressure; {@link #run} clears that interrupt before it returns.
     */
    public void stop() throws InterruptedException {
        reader.stop();
    }

    /** The position of the last event handed to the sink, or {@link BinlogPosition#NONE}. */
    public BinlogPosition lastStreamed() {
        return reader.lastStreamed();
    }

    /**
     * The end of the last event read from the source, of any kind (including those not handed to the sink, such as
     * rotations and heartbeats); the start position before the first. It moves only after the sink accepted the
     * event, so once it is at or past a position every event ending at or before that position has reached the sink.
     */
    public BinlogPosition readThrough() {
        return reader.readThrough();
    }

    /** When the source wrote the latest event read (for lag), or {@code null} before the first. */
    public Instant lastEventTime() {
        return reader.lastEventTime();
    }

    public boolean isConnected() {
        return reader.isConnected();
    }

    /**
     * On a MySQL source with {@code gtid_mode=ON}: a GTID set covering every transaction read from the binlog so far
     * and every one committed or committing when streaming started. A session that has waited for it
     * ({@code WAIT_FOR_EXECUTED_GTID_SET}) sees every change this streamer has handed out in its next snapshot.
     * {@code null} on MariaDB, without GTIDs, or before {@link #run} has inspected the source.
     */
    public String gtidsSeen() {
        return reader.gtidsSeen();
    }

    /** Whether a MySQL source gives every transaction a GTID ({@code gtid_mode=ON}). */
    public static boolean gtidModeOn(Connection source) throws SQLException {
        return BinlogReader.gtidModeOn(source);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
