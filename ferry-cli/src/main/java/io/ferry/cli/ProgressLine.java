package io.ferry.cli;

import io.ferry.core.control.FerryControl;
import io.ferry.core.control.RunPhase;
import io.ferry.core.control.RunStatus;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's progress for the person at the console: on a terminal, one line on stderr redrawn every second
 * (phase, tables done/total, rows, rows/s, ETA, binlog lag); otherwise (a file, a pipe, a CI log) the same text as
 * a plain log line every {@code logEvery}, so logs stay readable.
 */
final class ProgressLine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("io.ferry.progress");
    private static final Duration REDRAW_EVERY = Duration.ofSeconds(1);
    static final Duration LOG_EVERY = Duration.ofSeconds(30);

    private final FerryControl control;
    private final PrintStream terminal;
    private final Thread thread;
    private volatile boolean closed;

    private ProgressLine(FerryControl control, PrintStream terminal, Duration every) {
        this.control = control;
        this.terminal = terminal;
        this.thread = Thread.ofVirtual().name("ferry-progress-line").unstarted(() -> loop(every));
    }

    /**
     * Starts reporting on {@code control}.
     *
     * @param terminal where the redrawn line goes, or {@code null} to log plain lines every {@code logEvery}
     */
    static ProgressLine start(FerryControl control, PrintStream terminal, Duration logEvery) {
        var line = new ProgressLine(control, terminal, terminal == null ? logEvery : REDRAW_EVERY);
        line.thread.start();
        return line;
    }

    /** Whether stdin and stdout are a terminal (Console.isTerminal on JDK 22+, the console's presence before). */
    static boolean onTerminal() {
        var console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = console.getClass().getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }

    private void loop(Duration every) {
        while (!closed) {
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            String text = render(control.status());
            if (terminal != null) {
                // Clear the line, draw, return the cursor to column 0 so a log line written meanwhile overwrites it.
                terminal.print("\r\033[K" + text + "\r");
                terminal.flush();
            } else {
                LOG.info("progress: {}", text);
            }
        }
    }

    /** One line, e.g. {@code copying · tables 2/5 · 120,000 rows · 8,400 rows/s · ETA 1m 05s · lag 0.3 s}. */
    static String render(RunStatus s) {
        var sb = new StringBuilder(s.phase().stateName());
        sb.append(" · tables ").append(s.completedTables()).append('/').append(s.tables().size());
        sb.append(" · ").append(String.format(Locale.ROOT, "%,d", s.rowsCopied())).append(" rows");
        if (s.phase() == RunPhase.COPYING) {
            sb.append(" · ").append(String.format(Locale.ROOT, "%,d", Math.round(s.throughput().rowsPerSecond())))
                    .append(" rows/s");
            sb.append(" · ETA ").append(s.throughput().eta() == null ? "?" : duration(s.throughput().eta()));
        }
        sb.append(" · lag ").append(String.format(Locale.ROOT, "%.1f s", s.binlogLagSeconds()));
        if (s.copyPaused()) {
            sb.append(" · copy held");
        }
        if (s.replicationPaused()) {
            sb.append(" · replication held");
        }
        if (s.phase() == RunPhase.WAIT_FOR_CUTOVER && !s.automaticCutover()) {
            sb.append(" · waiting for a cutover request");
        }
        return sb.toString();
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return s + "s";
    }

    /** Stops; on a terminal, leaves the last line in place and moves to the next. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (terminal != null) {
            terminal.println("\r\033[K" + render(control.status()));
        }
    }
}
