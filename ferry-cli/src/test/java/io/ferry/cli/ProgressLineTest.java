package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.core.control.ReplicationStatus;
import io.ferry.core.control.RunCounters;
import io.ferry.core.control.RunPhase;
import io.ferry.core.control.RunStatus;
import io.ferry.core.control.TableStatus;
import io.ferry.core.control.Throughput;
import io.ferry.core.control.VerifierStatus;
import io.ferry.core.control.WriterState;
import io.ferry.core.state.BinlogPosition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    private static RunStatus status(RunPhase phase, Throughput throughput, boolean automatic, boolean copyHeld,
                                    boolean replicationHeld, double lag) {
        var tables = List.of(
                new TableStatus("shop.orders", "id", "completed", "100", "100", 100_000, 0),
                new TableStatus("shop.items", "id", "copying", "20", "900", 20_345, 0),
                new TableStatus("shop.users", "id", "waiting", null, null, 0, 0));
        var replication = new ReplicationStatus(BinlogPosition.NONE, BinlogPosition.NONE, lag, 3, WriterState.WAITING_FOR_EVENTS, NOW);
        return new RunStatus(phase, "src:3306", "tgt:3306", NOW.minusSeconds(60), NOW, tables, replication, throughput,
                automatic, false, copyHeld, replicationHeld, VerifierStatus.NONE, RunCounters.NONE, List.of());
    }

    @Test
    void showsTablesRowsSpeedEtaAndLagWhileCopying() {
        assertEquals("copying · tables 1/3 · 120,345 rows · 8,400 rows/s · ETA 1m 05s · lag 0.3 s",
                ProgressLine.render(status(RunPhase.COPYING, new Throughput(8399.6, Duration.ofSeconds(65)), true,
                        false, false, 0.25)));
        assertEquals("copying · tables 1/3 · 120,345 rows · 0 rows/s · ETA ? · lag 0.0 s · copy held · replication held",
                ProgressLine.render(status(RunPhase.COPYING, Throughput.UNKNOWN, true, true, true, 0)));
    }

    @Test
    void saysWhenTheRunWaitsForACutoverRequest() {
        assertEquals("wait-for-cutover · tables 1/3 · 120,345 rows · lag 12.0 s · waiting for a cutover request",
                ProgressLine.render(status(RunPhase.WAIT_FOR_CUTOVER, Throughput.UNKNOWN, false, false, false, 12)));
    }

    @Test
    void durationsReadAtAGlance() {
        assertEquals("42s", ProgressLine.duration(Duration.ofSeconds(42)));
        assertEquals("2h 05m", ProgressLine.duration(Duration.ofMinutes(125)));
    }
}
