package io.ferry.copy.internal.state;

import io.ferry.copy.internal.cutover.CutoverCallbacks;
import io.ferry.copy.internal.schema.SchemaChangeMarks;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.Defaults;
import io.ferry.core.config.HttpCallback;
import io.ferry.core.config.StateConfig;
import io.ferry.core.state.RunState;
import io.ferry.core.state.StateCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the run's state where the config says: {@code StateFilename} (atomically: a temporary file in the same
 * directory, then a rename, so a reader or a crash never sees half a state), the target's state tables,
 * {@code StateCallback} (POST of {@code {"Payload": ..., "State": {...}}}) and stdout. Periodically while the run
 * goes on, and once more at its end.
 */
public final class StateSaver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StateSaver.class);

    private final StateConfig config;
    private final RunStateTracker tracker;
    private final TargetStateTables stateTables;
    private final PrintStream stdout;
    private final ReentrantLock saving = new ReentrantLock();
    private volatile Thread periodic;
    private volatile boolean closed;

    /** Made on first use: an HTTP client costs a TLS context and a selector thread, and most runs post no state. */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * @param stateTables the target's state tables, or {@code null}
     * @param stdout      where dumps to stdout go
     */
    public StateSaver(StateConfig config, RunStateTracker tracker, TargetStateTables stateTables, PrintStream stdout) {
        this.config = config;
        this.tracker = tracker;
        this.stateTables = stateTables;
        this.stdout = stdout;
    }

    /**
     * Saves the state of a fresh run before it creates the target schema, to {@code StateFilename} and the target's
     * state tables when configured, so a run killed at any later point resumes instead of finding target tables it
     * does not know about.
     */
    public static void saveInitial(StateConfig config, RunState state, Connection target, String stateKey) {
        RunState saved = config.includeSchemaCache() ? state : state.withoutSchemaCache();
        if (config.resumeStateFromDb() != null) {
            var tables = new TargetStateTables(null, config.resumeStateFromDb(), stateKey,
                    Defaults.DB_WRITE_RETRIES);
            tables.create(target);
            tables.replaceAll(target, saved);
        }
        if (config.stateFilename() != null) {
            try {
                writeAtomically(config.stateFilename(), StateCodec.toJson(saved));
            } catch (IOException e) {
                throw new RunFailed("cannot write the state file " + config.stateFilename() + " ("
                        + e + "); check the path and its permissions", e);
            }
        }
    }

    /** Saves the starting state (so even a run killed at once can resume) and starts the periodic saves. */
    public void start() {
        RunState state = tracker.snapshot(config.includeSchemaCache());
        if (stateTables != null) {
            stateTables.replaceAll(state);
        }
        writeFile(state);
        if (config.stateFilename() == null && config.stateCallback() == null && stateTables == null) {
            return;
        }
        periodic = Thread.ofVirtual().name("ferry-state-saver").start(() -> {
            while (!closed) {
                long until = System.nanoTime() + config.reportFrequency().toNanos();
                while (!closed && System.nanoTime() < until) {
                    LockSupport.parkNanos(Math.min(50_000_000L, until - System.nanoTime()));
                }
                if (closed) {
                    return;
                }
                try {
                    savePeriodically();
                } catch (RuntimeException e) {
                    LOG.warn("saving the run state failed; trying again in {} ms: {}",
                            config.reportFrequency().toMillis(), e.getMessage());
                }
            }
        });
    }

    private void savePeriodically() {
        saving.lock();
        try {
            if (closed) {
                return;
            }
            RunState state = tracker.snapshot(config.includeSchemaCache());
            writeFile(state);
            if (stateTables != null) {
                // Forced: the applier writes its own position with each transaction; an older one must not win.
                stateTables.saveSummary(state, !config.forceResumeStateUpdatesToDb());
            }
            post(state);
        } finally {
            saving.unlock();
        }
    }

    /**
     * Saves the state now to {@code StateFilename} and the target's state tables, or throws: a replicated schema
     * change is marked pending before it runs and applied after it (see {@link SchemaChangeMarks}), and it must not
     * run unless the mark is durable.
     */
    public void saveNow() {
        saving.lock();
        try {
            RunState state = tracker.snapshot(config.includeSchemaCache());
            if (stateTables != null) {
                stateTables.saveSummary(state, true);
            }
            if (config.stateFilename() != null) {
                try {
                    writeFileOrThrow(state);
                } catch (IOException e) {
                    throw new RunFailed("cannot write the state file " + config.stateFilename() + " ("
                            + e + ") before applying a schema change; check the path and its permissions", e);
                }
            }
        } finally {
            saving.unlock();
        }
    }

    /** Forgets {@code table}'s saved progress (it is copied again from scratch) and saves the state now. */
    public void copyRestarting(TableId table) {
        saving.lock();
        try {
            if (stateTables != null) {
                stateTables.writeRanges(table, List.of());
            }
            saveNow();
        } finally {
            saving.unlock();
        }
    }

    /**
     * Saves the final state of a run that ends without completing.
     *
     * @param stopped  the run stopped on request (a signal, the control server)
     * @param failed   the run failed with an error
     * @return where the state went, for the operator ("" when nowhere)
     */
    public String saveAtExit(boolean stopped, boolean failed) {
        close();
        saving.lock();
        try {
            RunState state = tracker.snapshot(config.includeSchemaCache());
            List<String> where = new ArrayList<>();
            if (stateTables != null) {
                try {
                    stateTables.replaceAll(state);
                    where.add("target database " + stateTables.database());
                } catch (RuntimeException e) {
                    LOG.error("saving the run state in the target failed: {}", e.getMessage());
                }
            }
            if (config.stateFilename() != null) {
                try {
                    writeFileOrThrow(state);
                    where.add(config.stateFilename().toString());
                } catch (IOException e) {
                    LOG.error("writing the state file {} failed ({}); the state goes to stdout", config.stateFilename(), e.toString());
                    stdout.println(StateCodec.toJson(state));
                    stdout.flush();
                    where.add("stdout");
                }
            }
            // An error dumps to stdout when asked, state file or not; a stop does so only without a file.
            boolean toStdout = failed && config.dumpStateToStdoutOnError()
                    || stopped && config.dumpStateOnSignal() && config.stateFilename() == null;
            if (toStdout && !where.contains("stdout")) {
                stdout.println(StateCodec.toJson(state));
                stdout.flush();
                where.add("stdout");
            }
            if (post(state)) {
                where.add("the state callback " + config.stateCallback().describe());
            }
            return String.join(" and ", where);
        } finally {
            saving.unlock();
        }
    }

    private void writeFile(RunState state) {
        if (config.stateFilename() == null) {
            return;
        }
        try {
            writeFileOrThrow(state);
        } catch (IOException e) {
            LOG.warn("writing the state file {} failed: {}", config.stateFilename(), e.toString());
        }
    }

    private void writeFileOrThrow(RunState state) throws IOException {
        writeAtomically(config.stateFilename(), StateCodec.toJson(state));
    }

    /** Writes {@code text} to a temporary file next to {@code file}, then renames it over {@code file}. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            Files.writeString(tmp, text + "\n");
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** POSTs the state to the callback; whether it answered 2xx. */
    private boolean post(RunState state) {
        HttpCallback cb = config.stateCallback();
        if (cb == null) {
            return false;
        }
        String body = "{\"Payload\":" + CutoverCallbacks.jsonString(cb.payload()) + ",\"State\":" + StateCodec.toJson(state) + "}";
        try {
            HttpResponse<Void> r = Http.CLIENT.send(HttpRequest.newBuilder(cb.uri()).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 != 2) {
                LOG.warn("state callback to {} answered HTTP {}", cb.describe(), r.statusCode());
                return false;
            }
            return true;
        } catch (IOException e) {
            LOG.warn("state callback to {} failed: {}", cb.describe(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Stops the periodic saves and waits for one in progress. */
    @Override
    public void close() {
        closed = true;
        Thread t = periodic;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
