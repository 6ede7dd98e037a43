package io.ferry.copy.internal.operations;

import com.google.gson.JsonObject;
import io.ferry.core.control.RunPhase;
import io.ferry.core.control.RunStatus;
import io.ferry.core.control.TableStatus;
import io.ferry.core.state.BinlogPosition;

/**
 * Ghostferry's {@code Progress}, the payload of the progress callback: {@code CurrentState, CustomPayload,
 * Tables{db.table: {LastSuccessfulPaginationKey, TargetPaginationKey, CurrentAction, RowsWritten, BytesWritten}},
 * LastSuccessfulBinlogPos{Name, Pos}, BinlogStreamerLag, Throttled, ActiveDataIterators, VerifierType,
 * VerifierMessage, FinalBinlogPos, PaginationKeysPerSecond, ETA, TimeTaken}}, durations in seconds as Go writes
 * them. {@code FinalBinlogPos}, where replication stopped at cutover, is only filled once the run is done.
 */
public final class ProgressPayload {
    private ProgressPayload() {
    }

    public static JsonObject of(RunStatus s, String customPayload, BinlogPosition finalPosition) {
        var p = new JsonObject();
        p.addProperty("CurrentState", s.phase().stateName());
        p.addProperty("CustomPayload", customPayload);
        var tables = new JsonObject();
        for (TableStatus t : s.tables()) {
            var table = new JsonObject();
            table.addProperty("LastSuccessfulPaginationKey", t.lastKey() == null ? "" : t.lastKey());
            table.addProperty("TargetPaginationKey", t.targetKey() == null ? "" : t.targetKey());
            table.addProperty("CurrentAction", t.action());
            table.addProperty("RowsWritten", t.rowsWritten());
            table.addProperty("BytesWritten", t.bytesWritten());
            tables.add(t.table(), table);
        }
        p.add("Tables", tables);
        p.add("LastSuccessfulBinlogPos", position(s.replication().lastApplied()));
        p.addProperty("BinlogStreamerLag", s.binlogLagSeconds());
        p.addProperty("Throttled", s.copyPaused() || s.replicationPaused());
        p.addProperty("ActiveDataIterators", s.tables().stream().filter(t -> "copying".equals(t.action())).count());
        p.addProperty("VerifierType", "");
        p.addProperty("VerifierMessage", s.verifier().message());
        p.add("FinalBinlogPos", position(s.phase() == RunPhase.DONE ? finalPosition : BinlogPosition.NONE));
        p.addProperty("PaginationKeysPerSecond", Math.round(s.throughput().rowsPerSecond()));
        p.addProperty("ETA", s.throughput().eta() == null ? 0 : s.throughput().eta().toMillis() / 1000.0);
        p.addProperty("TimeTaken", s.timeTaken().toMillis() / 1000.0);
        return p;
    }

    private static JsonObject position(BinlogPosition position) {
        var p = new JsonObject();
        p.addProperty("Name", position.file());
        p.addProperty("Pos", position.offset());
        return p;
    }
}
