package io.ferry.copy.internal.operations;

import io.ferry.copy.Throttler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The throttlers of one part of a run (copy or replication), asked together: the work waits while any of them
 * throttles. Starts with the part's pause switch; more can be added while the run goes on.
 */
public final class Throttlers implements Throttler {
    private final List<Throttler> all = new CopyOnWriteArrayList<>();

    public Throttlers(Throttler first) {
        all.add(first);
    }

    public void add(Throttler throttler) {
        all.add(throttler);
    }

    public void remove(Throttler throttler) {
        all.remove(throttler);
    }

    @Override
    public boolean throttled() {
        for (Throttler t : all) {
            if (t.throttled()) {
                return true;
            }
        }
        return false;
    }

    /** Waits on each throttler in turn until one pass finds none throttling. */
    @Override
    public void awaitUnthrottled() throws InterruptedException {
        boolean waited = true;
        while (waited) {
            waited = false;
            for (Throttler t : all) {
                if (t.throttled()) {
                    waited = true;
                    t.awaitUnthrottled();
                }
            }
        }
    }
}
