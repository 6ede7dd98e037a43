package io.ferry.binlog.internal;

import com.github.shyiko.mysql.binlog.GtidSet;
import com.github.shyiko.mysql.binlog.event.MySqlGtid;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * On a MySQL source with {@code gtid_mode=ON}: a GTID set holding every transaction the stream has read, and every
 * transaction that was committed or committing when streaming started. Once a session sees all of them in
 * {@code gtid_executed} ({@code WAIT_FOR_EXECUTED_GTID_SET}), every change read from the binlog so far is visible to
 * its next snapshot: MySQL adds a transaction's GTID to {@code gtid_executed} only after the storage engine commit
 * (sql/binlog.cc, {@code process_commit_stage_queue}), while its events reach replicas as soon as they are written.
 * Filled by the streaming thread, read by any.
 */
final class GtidsSeen {
    private final ReentrantLock lock = new ReentrantLock();
    private final GtidSet read = new GtidSet("");
    private String atStart;

    /**
     * Records what was committed or committing after {@code start} was read as the stream's start: the GTIDs
     * sessions own (assigned when a transaction is written to the binlog, released after its commit), then
     * {@code gtid_executed}, in that order, so none moves from one to the other unseen.
     */
    void startAfterPositionWasRead(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            String owned = scalar(st, "SELECT @@GLOBAL.gtid_owned");
            String executed = scalar(st, "SELECT @@GLOBAL.gtid_executed");
            // gtid_owned lists "uuid:gno#thread" entries
            String set = join(executed, owned.replaceAll("#\\d+", ""));
            lock.lock();
            try {
                atStart = set;
            } finally {
                lock.unlock();
            }
        }
    }

    void add(MySqlGtid gtid) {
        lock.lock();
        try {
            read.add(gtid.toString());
        } finally {
            lock.unlock();
        }
    }

    /** The set as GTID text, or {@code null} before the stream started. */
    String current() {
        lock.lock();
        try {
            return atStart == null ? null : join(atStart, read.toString());
        } finally {
            lock.unlock();
        }
    }

    private static String join(String a, String b) {
        return a.isBlank() ? b.strip() : b.isBlank() ? a.strip() : a.strip() + "," + b.strip();
    }

    private static String scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            String v = rs.getString(1);
            return v == null ? "" : v;
        }
    }
}
