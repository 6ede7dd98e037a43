package io.ferry.core.db;

import io.ferry.core.control.ServerWait;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statements one server has not answered yet. A frozen or overloaded server otherwise shows as silence: the
 * watchdog logs each statement still waiting after {@link #FIRST_LOG} (then every {@link #LOG_EVERY}), the run's
 * status lists them, and a timed statement that outlives {@code ReadTimeout + WriteTimeout} has its connection
 * aborted. The socket timeout alone cannot end it: a send to a server that stopped reading blocks without one.
 */
public final class StatementWatch implements AutoCloseable {
    static final Duration FIRST_LOG = Duration.ofSeconds(10);
    static final Duration LOG_EVERY = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(StatementWatch.class);
    private static final Set<StatementWatch> LIVE = ConcurrentHashMap.newKeySet();
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    /** Where a statement's values start: nothing from there on is shown, so that logs hold no row data. */
    private static final Pattern FIRST_VALUE = Pattern.compile("['\"]|\\b(?:VALUES|WHERE|SET|AGAINST|LIMIT)\\b|\\b0x|\\bX'",
            Pattern.CASE_INSENSITIVE);
    private static final int MAX_SUMMARY = 100;
    private static final int SUMMARY_HEAD = 1024;

    static {
        Thread.ofVirtual().name("ferry-statement-watchdog").start(StatementWatch::watch);
    }

    private final String server;
    private final Duration abortAfter;
    private final Set<Call> calls = ConcurrentHashMap.newKeySet();

    /**
     * @param server     the server as logs name it, e.g. {@code target ferry@db2:3306}
     * @param abortAfter how long a timed statement may run before its connection is aborted, or {@code null}
     */
    StatementWatch(String server, Duration abortAfter) {
        this.server = server;
        this.abortAfter = abortAfter;
        LIVE.add(this);
    }

    /** The statements this server has not answered yet, the longest waiting first. */
    public List<ServerWait> waits() {
        List<ServerWait> waits = new ArrayList<>();
        for (Call c : calls) {
            waits.add(new ServerWait(server, c.statement(), c.since, c.timed));
        }
        waits.sort(Comparator.comparing(ServerWait::since));
        return waits;
    }

    /** A call on {@code connection} (or {@code null}: a wait for one, which the pool's own timeout ends). */
    Call begin(Connection connection, String sql, boolean timed) {
        var call = new Call(connection, sql, timed, Instant.now());
        calls.add(call);
        return call;
    }

    @Override
    public void close() {
        LIVE.remove(this);
    }

    /** {@code sql} up to its first value, on one line: what a log or the status may show of a statement. */
    static String summary(String sql) {
        if (sql == null || sql.isBlank()) {
            return "a statement";
        }
        // Only the head can be shown, and a batch's INSERT runs to megabytes.
        String head = sql.length() <= SUMMARY_HEAD ? sql : sql.substring(0, SUMMARY_HEAD);
        String s = WHITESPACE.matcher(head.strip()).replaceAll(" ");
        var m = FIRST_VALUE.matcher(s);
        if (m.find()) {
            s = s.substring(0, m.start()).stripTrailing() + " ...";
        }
        return s.length() <= MAX_SUMMARY ? s : s.substring(0, MAX_SUMMARY) + " ...";
    }

    private static void watch() {
        while (true) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
            Instant now = Instant.now();
            for (StatementWatch w : LIVE) {
                for (Call c : w.calls) {
                    w.check(c, now);
                }
            }
        }
    }

    private void check(Call c, Instant now) {
        Duration age = Duration.between(c.since, now);
        if (c.timed && abortAfter != null && age.compareTo(abortAfter) > 0 && !c.aborted && c.connection != null) {
            c.aborted = true;
            LOG.warn("the {} server has not taken or answered {} in {} s (ReadTimeout + WriteTimeout); closing the"
                    + " connection, so that the statement fails and is retried on a new one", server, c.statement(),
                    age.toSeconds());
            try {
                c.connection.abort(command -> Thread.ofVirtual().start(command));
            } catch (SQLException | RuntimeException e) {
                LOG.warn("closing the connection to the {} server failed: {}", server, SqlErrors.describe(e));
            }
            // A send blocked under TLS holds the locks that closing the connection needs; a virtual thread's socket
            // operation ends when the thread is interrupted (the call clears the interrupt when it returns).
            if (c.thread.isVirtual()) {
                c.thread.interrupt();
            }
            return;
        }
        if (age.compareTo(c.nextLog) >= 0) {
            c.nextLog = c.nextLog.plus(LOG_EVERY);
            LOG.warn("still waiting for the {} server after {} s: {}{}", server, age.toSeconds(), c.statement(),
                    c.timed ? "" : " (runs without the read timeout, as it may take long)");
            c.logged = true;
        }
    }

    /** One statement in flight; closing it marks it answered. */
    final class Call implements AutoCloseable {
        private final Connection connection;
        /** The statement as sent; summarized only when shown, which few calls ever are. */
        private final String sql;
        private String statement;
        private final boolean timed;
        private final Instant since;
        private final Thread thread = Thread.currentThread();
        private volatile Duration nextLog = FIRST_LOG;
        private volatile boolean logged;
        private volatile boolean aborted;

        private Call(Connection connection, String sql, boolean timed, Instant since) {
            this.connection = connection;
            this.sql = sql;
            this.timed = timed;
            this.since = since;
        }

        /** The statement as logs and the status show it (see {@link #summary}). */
        synchronized String statement() {
            if (statement == null) {
                statement = summary(sql);
            }
            return statement;
        }

        @Override
        public void close() {
            calls.remove(this);
            if (aborted) {
                Thread.interrupted(); // the watchdog's interrupt, not a request to stop
            }
            if (logged && !aborted) {
                LOG.info("the {} server answered after {} s: {}", server,
                        Duration.between(since, Instant.now()).toSeconds(), statement());
            }
        }
    }
}
