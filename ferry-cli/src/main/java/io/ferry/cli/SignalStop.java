package io.ferry.cli;

import io.ferry.core.control.FerryControl;

/**
 * Turns SIGINT/SIGTERM into a stop request, so a run ends at a clean point instead of being killed mid-batch.
 * The JVM exits once the shutdown hook returns, so the hook waits for the run to finish stopping.
 */
final class SignalStop {
    private final Thread hook;
    private final Thread runner = Thread.currentThread();

    private SignalStop(FerryControl control) {
        this.hook = new Thread(() -> {
            control.requestStop();
            try {
                runner.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ferry-signal-stop");
    }

    static SignalStop install(FerryControl control) {
        var stop = new SignalStop(control);
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    void uninstall() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs
        }
    }
}
