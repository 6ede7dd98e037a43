package io.ferry.cli;

import io.ferry.core.control.FerryControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT/SIGTERM into a stop request, so a run ends at a clean point (every batch in flight committed, its
 * state saved where configured) and the command exits with one clear line, instead of being killed mid-batch.
 * The signals are handled directly rather than through a shutdown hook, so the run ends normally and its exit
 * status and messages are its own. During cutover the run refuses the stop and completes.
 */
final class SignalStop {
    private static final Logger LOG = LoggerFactory.getLogger(SignalStop.class);
    private static final String[] SIGNALS = {"INT", "TERM"};

    private final SignalHandler[] previous = new SignalHandler[SIGNALS.length];

    private SignalStop(FerryControl control) {
        for (int i = 0; i < SIGNALS.length; i++) {
            String name = SIGNALS[i];
            previous[i] = Signal.handle(new Signal(name), signal -> {
                LOG.warn("received SIG{}; stopping the run at a clean point", name);
                control.requestStop();
            });
        }
    }

    static SignalStop install(FerryControl control) {
        return new SignalStop(control);
    }

    /** Restores the handlers that were there before. */
    void uninstall() {
        for (int i = 0; i < SIGNALS.length; i++) {
            Signal.handle(new Signal(SIGNALS[i]), previous[i]);
        }
    }
}
