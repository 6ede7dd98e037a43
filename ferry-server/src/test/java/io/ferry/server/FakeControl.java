package io.ferry.server;

import io.ferry.core.control.FerryControl;
import io.ferry.core.control.LatencyHistogram;
import io.ferry.core.control.ReplicationStatus;
import io.ferry.core.control.RunCounters;
import io.ferry.core.control.RunPhase;
import io.ferry.core.control.RunStatus;
import io.ferry.core.control.ServerWait;
import io.ferry.core.control.TableStatus;
import io.ferry.core.control.Throughput;
import io.ferry.core.control.UpdatableConfig;
import io.ferry.core.control.VerifierStatus;
import io.ferry.core.control.WriterState;
import io.ferry.core.state.BinlogPosition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A hand-written {@link FerryControl} that records every call and reports a fixed, settable status. */
final class FakeControl implements FerryControl {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile Instant now = Instant.parse("2026-01-02T03:04:05Z");
    volatile Instant writerStateAt = now.minusMillis(200);
    volatile boolean copyPaused;
    volatile boolean replicationPaused;
    volatile boolean automaticCutover;
    volatile boolean stopRequested;
    volatile int batchSize = 1000;
    volatile VerifierStatus verifier = VerifierStatus.NONE;
    volatile List<ServerWait> waits = List.of();
    volatile RunPhase phase = RunPhase.COPYING;
    volatile WriterState writerState = WriterState.APPLIED_EVENTS;

    @Override
    public RunStatus status() {
        var tables = List.of(
                new TableStatus("shop.orders", "id", "copying", "500", "1000", 500, 64_000, 1000),
                new TableStatus("shop.items", "shop_id,sku", "completed", "(7, a\"b)", "(7, a\"b)", 20, 2_000, 20),
                new TableStatus("crm.notes", "", "waiting", null, null, 0, 0, 0));
        var replication = new ReplicationStatus(new BinlogPosition("mysql-bin.000007", 9_000),
                new BinlogPosition("mysql-bin.000007", 8_500), 1.5, 42, writerState, writerStateAt);
        var latency = new LatencyHistogram(List.of(0.01, 0.1, 1.0), List.of(3L, 9L, 10L), 11, 4.25);
        return new RunStatus(phase, "src.example:3306", "tgt.example:3307", now.minusSeconds(90), now,
                tables, replication, new Throughput(123.4, Duration.ofSeconds(65)), automaticCutover, stopRequested,
                copyPaused, replicationPaused, verifier, new RunCounters(11, 2, 1, latency, Duration.ofMillis(420)), waits);
    }

    @Override
    public void pause(ThrottleScope scope) {
        calls.add("pause " + scope);
        copyPaused |= scope != ThrottleScope.REPLICATION;
        replicationPaused |= scope != ThrottleScope.MIGRATION;
    }

    @Override
    public void unpause(ThrottleScope scope) {
        calls.add("unpause " + scope);
        copyPaused &= scope == ThrottleScope.REPLICATION;
        replicationPaused &= scope == ThrottleScope.MIGRATION;
    }

    @Override
    public void setAutomaticCutover(boolean automatic) {
        calls.add("cutover " + automatic);
        automaticCutover = automatic;
    }

    @Override
    public void requestStop() {
        calls.add("stop");
        stopRequested = true;
    }

    @Override
    public void startVerification() {
        calls.add("verify");
        if (verifier.started() && !verifier.done()) {
            throw new IllegalStateException("a verification is already running; wait for it to finish");
        }
    }

    @Override
    public UpdatableConfig updatableConfig() {
        return new UpdatableConfig(batchSize);
    }

    @Override
    public void setBatchSize(int rows) {
        new UpdatableConfig(rows);
        calls.add("batch size " + rows);
        batchSize = rows;
    }
}
