package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.copy.Ferry;
import io.ferry.copy.RunHooks;
import io.ferry.copy.RunSummary;
import io.ferry.core.TableId;
import io.ferry.core.config.ConfigLoader;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.control.RunStatus;
import io.ferry.core.control.ServerWait;
import io.ferry.core.verify.Verifier;
import io.ferry.testing.CallbackServer;
import io.ferry.testing.DataWriter;
import io.ferry.testing.FaultProxy;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import io.ferry.verify.Verifiers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults of the network and the servers during a live run with a writer, injected by {@link FaultProxy}s between
 * ferry and each server (so they hit this run only): every connection of one side cut mid-copy (copy reads and
 * writes, the binlog stream, the applier), a side down for seconds, and connections cut during the cutover's
 * verification. Each run ends by itself with an identical target, verified by the default Inline verifier.
 */
@MySqlPair
@Tag("engines") // part of the engine matrix: runs on every pair of engines (bin/test --matrix)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class FaultsIT {
    private static final int ROWS = 3000;
    private final TestPair pair;
    /** The run in progress, for faults that look at its status. */
    private volatile Ferry running;

    FaultsIT(TestPair pair) {
        this.pair = pair;
    }

    private String seeded(String hint) {
        String db = pair.newDatabase(hint);
        pair.source().exec("CREATE TABLE `" + db + "`.t1 (id BIGINT AUTO_INCREMENT PRIMARY KEY, data TEXT)",
                "CREATE TABLE `" + db + "`.t2 (id BIGINT AUTO_INCREMENT PRIMARY KEY, data TEXT)");
        pair.source().insertRows("`" + db + "`.t1", "data", ROWS, i -> "('row " + i + "')");
        pair.source().insertRows("`" + db + "`.t2", "data", ROWS, i -> "('row " + i + "')");
        return db;
    }

    private static String server(ServerEndpoint e, String settings) {
        return "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\"%s}"
                .formatted(e.host(), e.port(), e.user(), e.password(), settings.isEmpty() ? "" : ", " + settings);
    }

    /**
     * Runs a copy of {@code db} through proxies to both servers while a writer changes t1; {@code fault} is called
     * once, from the copy, after a third of the rows were copied, with the (source, target) proxies.
     */
    private RunSummary runWithFault(String db, String extra, Consumer<FaultProxy[]> midCopyFault,
                                    Consumer<FaultProxy[]> cutoverFault) throws Exception {
        return runWithFault(db, "", extra, midCopyFault, cutoverFault);
    }

    /** As above, with {@code serverSettings} (e.g. timeouts) in both the Source and the Target section. */
    private RunSummary runWithFault(String db, String serverSettings, String extra, Consumer<FaultProxy[]> midCopyFault,
                                    Consumer<FaultProxy[]> cutoverFault) throws Exception {
        try (var sourceProxy = FaultProxy.to(pair.source().endpoint());
             var targetProxy = FaultProxy.to(pair.target().endpoint());
             var callbacks = new CallbackServer()) {
            FaultProxy[] proxies = {sourceProxy, targetProxy};
            var writer = new AtomicReference<DataWriter>();
            callbacks.respondWith(request -> {
                try {
                    writer.get().stop(); // the application stops writing at CutoverLock
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 200;
            });
            String json = "{\"Source\": " + server(sourceProxy.endpoint(), serverSettings)
                    + ", \"Target\": " + server(targetProxy.endpoint(), serverSettings)
                    + ", \"Databases\": {\"Whitelist\": [\"" + db + "\"]}, \"AutomaticCutover\": true"
                    + ", \"DataIterationBatchSize\": 50, \"DataIterationConcurrency\": 2"
                    + ", \"CutoverLock\": {\"URI\": \"" + callbacks.url("/lock") + "\"}"
                    + (extra.isEmpty() ? "" : ", " + extra) + "}";
            CopydbConfig config = ConfigLoader.parse(json, Map.of(), Path.of("."));
            var copied = new AtomicInteger();
            var faulted = new AtomicBoolean();
            RunHooks hooks = new RunHooks() {
                @Override
                public void binlogStreamingStarted() {
                    // Paced: after a fault the applier works off the backlog while the writers go on, and the
                    // cutover waits until it has (on a busy machine an unpaced writer can outrun one applier).
                    writer.set(new DataWriter(pair.source(), "`" + db + "`.t1", 2, List.of(), Duration.ofMillis(2)));
                }

                @Override
                public void afterRowCopy(TableId table, int rows) {
                    if (copied.addAndGet(rows) >= 2 * ROWS / 3 && faulted.compareAndSet(false, true)) {
                        midCopyFault.accept(proxies);
                    }
                }
            };
            Verifier verifier = Verifiers.create(config.verification()).orElseThrow();
            Verifier faulty = cutoverFault == null ? verifier : new FaultBeforeCutoverVerification(verifier,
                    () -> cutoverFault.accept(proxies));
            try (var ferry = new Ferry(config, hooks, faulty)) {
                running = ferry;
                RunSummary summary = ferry.run();
                assertTrue(faulted.get() || midCopyFault == NONE, "the fault was injected");
                assertTrue(writer.get().writes() > 0, "the application wrote during the run");
                pair.assertIdentical(db, "t1");
                pair.assertIdentical(db, "t2");
                return summary;
            }
        }
    }

    private static final Consumer<FaultProxy[]> NONE = p -> { };

    @ParameterizedTest(name = "{0} connections cut")
    @ValueSource(strings = {"source", "target"})
    void everyConnectionOfOneSideCutMidCopyIsSurvived(String side) throws Exception {
        String db = seeded("cut_" + side);
        RunSummary summary = runWithFault(db, "", p -> p[side.equals("source") ? 0 : 1].cutAll(), null);
        assertTrue(summary.verified(), summary.describe());
    }

    /** With the state in the target, its writes (per batch, and with every applied transaction) are cut too. */
    @Test
    void targetConnectionsCutWhileTheStateIsWrittenToTheTargetAreSurvived() throws Exception {
        String db = seeded("cut_state");
        String state = "\"ResumeStateFromDB\": \"" + pair.newDatabase("cut_state_db")
                + "\", \"ForceResumeStateUpdatesToDB\": true";
        RunSummary summary = runWithFault(db, state, p -> p[1].cutAll(), null);
        assertTrue(summary.verified(), summary.describe());
    }

    @ParameterizedTest(name = "{0} down for 4 s")
    @ValueSource(strings = {"source", "target"})
    void aSideDownForSecondsMidCopyIsSurvived(String side) throws Exception {
        String db = seeded("down_" + side);
        RunSummary summary = runWithFault(db, "", p -> {
            FaultProxy proxy = p[side.equals("source") ? 0 : 1];
            proxy.down(true);
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(4_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                proxy.down(false);
            });
        }, null);
        assertTrue(summary.verified(), summary.describe());
    }

    @ParameterizedTest(name = "{0} frozen for 10 s")
    @ValueSource(strings = {"source", "target"})
    void aSideFrozenForLongerThanItsTimeoutsIsShownAndSurvived(String side) throws Exception {
        String db = seeded("frozen_" + side);
        var shown = new CopyOnWriteArrayList<ServerWait>();
        var health = new AtomicReference<Duration>(Duration.ZERO);
        String timeouts = "\"ReadTimeout\": 2, \"WriteTimeout\": 2";
        RunSummary summary = runWithFault(db, timeouts, "", p -> {
            FaultProxy proxy = p[side.equals("source") ? 0 : 1];
            proxy.freeze(true);
            Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        Thread.sleep(100);
                        RunStatus status = running.status();
                        shown.addAll(status.waits());
                        if (status.longestTimedWait().compareTo(health.get()) > 0) {
                            health.set(status.longestTimedWait());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    proxy.freeze(false);
                }
            });
        }, null);
        assertTrue(summary.verified(), summary.describe());
        // Copiers waiting on the frozen side also hold connections of the other, whose pool then has waiters too.
        assertTrue(shown.stream().anyMatch(w -> w.server().startsWith(side + " ")),
                "the status listed what the frozen " + side + " left unanswered: " + shown);
        assertTrue(health.get().compareTo(Duration.ofSeconds(1)) > 0, "the status showed how long: " + health.get());
        assertTrue(health.get().compareTo(Duration.ofSeconds(8)) < 0,
                "no statement waited the whole freeze: the timeouts ended it (" + health.get() + ")");
    }

    @Test
    void connectionsCutDuringTheCutoverVerificationAreRetried() throws Exception {
        String db = seeded("cutover");
        RunSummary summary = runWithFault(db, "", NONE, p -> {
            p[0].cutAll();
            p[1].cutAll();
        });
        assertTrue(summary.verified(), summary.describe());
    }

    /** The run's verifier, with a fault injected right before its cutover comparison. */
    private record FaultBeforeCutoverVerification(Verifier delegate, Runnable fault) implements Verifier {
        @Override
        public void prepare(io.ferry.core.verify.VerificationScope scope) throws Exception {
            delegate.prepare(scope);
        }

        @Override
        public void verifyBeforeCutover() throws Exception {
            delegate.verifyBeforeCutover();
        }

        @Override
        public io.ferry.core.verify.VerificationResult verifyDuringCutover() throws Exception {
            fault.run();
            return delegate.verifyDuringCutover();
        }

        @Override
        public void startInBackground() {
            delegate.startInBackground();
        }

        @Override
        public void awaitBackground() throws InterruptedException {
            delegate.awaitBackground();
        }

        @Override
        public io.ferry.core.control.VerifierStatus status() {
            return delegate.status();
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public io.ferry.core.verify.ChangedRows changedRows() {
            return delegate.changedRows();
        }

        @Override
        public io.ferry.core.verify.CopyCheck copyCheck() {
            return delegate.copyCheck();
        }

        @Override
        public void schemaChanged(java.util.List<io.ferry.core.verify.TableChange> changes) {
            delegate.schemaChanged(changes);
        }

        @Override
        public io.ferry.core.verify.ReverifyState reverifyState() {
            return delegate.reverifyState();
        }
    }
}
