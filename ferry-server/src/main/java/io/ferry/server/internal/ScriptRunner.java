package io.ferry.server.internal;

import io.ferry.server.api.ScriptStatusJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator's {@code ControlServerCustomScripts} (Ghostferry's control-server scripts): each a command with
 * its arguments, started without a shell in ferry's working directory with ferry's environment, its output (stdout
 * and stderr together, the last {@link #MAX_OUTPUT_BYTES}) and exit status kept for the status page. One script runs
 * at a time: a second request while one runs is refused, so two operators cannot start overlapping maintenance.
 */
final class ScriptRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptRunner.class);
    static final int MAX_OUTPUT_BYTES = 64 * 1024;

    private final Map<String, List<String>> scripts;
    private final InstantSource clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** The last run of each script that has run, by name; guarded by {@link #lock}. */
    private final Map<String, Run> runs = new LinkedHashMap<>();
    /** The script running now, or {@code null}; guarded by {@link #lock}. */
    private Run running;

    ScriptRunner(Map<String, List<String>> scripts, InstantSource clock) {
        this.scripts = Map.copyOf(scripts);
        this.clock = clock;
    }

    boolean isEmpty() {
        return scripts.isEmpty();
    }

    /**
     * Starts script {@code name} in the background.
     *
     * @throws HttpError 404 for a name that is not configured, 409 while a script runs, 500 when it cannot start
     */
    void start(String name) {
        List<String> command = scripts.get(name);
        if (command == null) {
            throw new HttpError(404, "no custom script named \"" + name + "\"; configured: "
                    + (scripts.isEmpty() ? "none (set ControlServerConfig.CustomScripts)" : String.join(", ", names())));
        }
        lock.lock();
        try {
            if (running != null) {
                throw new HttpError(409, "custom script \"" + running.name + "\" is still running (for "
                        + (clock.instant().getEpochSecond() - running.startedAt.getEpochSecond())
                        + " s); one script runs at a time, try again when it has finished");
            }
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException | RuntimeException e) {
                Run failed = new Run(name, command, clock.instant(), null);
                failed.finish(null, "cannot start " + command.getFirst() + ": " + e.getMessage(), clock.instant());
                runs.put(name, failed);
                throw new HttpError(500, "custom script \"" + name + "\" cannot start (" + e.getMessage()
                        + "); check its command in ControlServerConfig.CustomScripts");
            }
            process.getOutputStream().close();
            Run run = new Run(name, command, clock.instant(), process);
            runs.put(name, run);
            running = run;
            LOG.info("control server: custom script \"{}\" started: {}", name, String.join(" ", command));
            Thread.ofVirtual().name("script-" + name).start(() -> follow(run));
        } catch (IOException e) {
            throw new HttpError(500, "custom script \"" + name + "\": " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** Reads the script's output until it exits, then records its exit status. */
    private void follow(Run run) {
        var output = new TailBuffer(MAX_OUTPUT_BYTES);
        int exit;
        try (InputStream in = run.process.getInputStream()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                output.write(buffer, n);
                run.output(output.text());
            }
            exit = run.process.waitFor();
        } catch (IOException e) {
            exit = waitQuietly(run.process);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.process.destroyForcibly();
            exit = -1;
        }
        lock.lock();
        try {
            run.finish(exit, output.text(), clock.instant());
            running = null;
        } finally {
            lock.unlock();
        }
        LOG.info("control server: custom script \"{}\" exited with status {}", run.name, exit);
    }

    private static int waitQuietly(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Every configured script, in name order, with its last run. */
    List<ScriptStatusJson> statuses() {
        lock.lock();
        try {
            List<ScriptStatusJson> out = new ArrayList<>();
            for (String name : names()) {
                Run run = runs.get(name);
                out.add(run == null ? ScriptStatusJson.neverRun(name, scripts.get(name)) : run.json());
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    private List<String> names() {
        return scripts.keySet().stream().sorted().toList();
    }

    /** Ends a script still running when the server stops, with its children. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (running != null && running.process != null) {
                running.process.descendants().forEach(ProcessHandle::destroy);
                running.process.destroy();
                try {
                    running.process.waitFor(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.process.destroyForcibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** One run of a script; its fields change only under the runner's lock, except the output, which is volatile. */
    private static final class Run {
        final String name;
        final List<String> command;
        final Instant startedAt;
        final Process process;
        private volatile String output = "";
        private volatile Integer exitCode;
        private volatile Instant endedAt;

        Run(String name, List<String> command, Instant startedAt, Process process) {
            this.name = name;
            this.command = command;
            this.startedAt = startedAt;
            this.process = process;
        }

        void output(String text) {
            output = text;
        }

        void finish(Integer exit, String text, Instant at) {
            output = text;
            exitCode = exit;
            endedAt = at;
        }

        ScriptStatusJson json() {
            Instant end = endedAt;
            Integer exit = exitCode;
            String status = end == null ? "running" : exit != null && exit == 0 ? "succeeded" : "failed";
            return new ScriptStatusJson(name, command, end == null, status, exit, output, startedAt.toString(),
                    end == null ? null : end.toString());
        }
    }

    /** The last {@code max} bytes written, as text (a cut UTF-8 sequence at the start shows as a replacement). */
    private static final class TailBuffer {
        private final byte[] bytes;
        private int length;
        private boolean cut;

        TailBuffer(int max) {
            this.bytes = new byte[max];
        }

        void write(byte[] b, int n) {
            if (n >= bytes.length) {
                System.arraycopy(b, n - bytes.length, bytes, 0, bytes.length);
                length = bytes.length;
                cut = true;
                return;
            }
            int overflow = length + n - bytes.length;
            if (overflow > 0) {
                System.arraycopy(bytes, overflow, bytes, 0, length - overflow);
                length -= overflow;
                cut = true;
            }
            System.arraycopy(b, 0, bytes, length, n);
            length += n;
        }

        String text() {
            String s = new String(bytes, 0, length, StandardCharsets.UTF_8);
            return cut ? "[earlier output cut]\n" + s : s;
        }
    }
}
