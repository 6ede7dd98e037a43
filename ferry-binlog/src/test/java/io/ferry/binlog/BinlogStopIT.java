package io.ferry.binlog;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.state.ResumablePosition;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** stop() ends an idle stream promptly: run returns normally and stop returns only after run has exited. */
@MySqlPair
class BinlogStopIT {

    @Test
    void stopEndsAnIdleStreamAndRunReturnsNormally(TestPair pair) throws Exception {
        var streamer = new BinlogStreamer(pair.source().ferryConfig(), 0, table -> null, 0);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                streamer.run(ResumablePosition.NONE, e -> { });
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!streamer.isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(streamer.isConnected(), "connected to the source");
        streamer.stop();
        t.join(2000); // run has returned; give the thread a moment to end its lambda
        assertFalse(t.isAlive(), "run has exited once stop returns");
        assertNull(failure.get());
        assertFalse(streamer.isConnected());
    }
}
