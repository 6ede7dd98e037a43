package io.ferry.server.api;

import com.google.gson.annotations.SerializedName;
import io.ferry.core.control.RunStatus;
import io.ferry.core.control.TableStatus;
import io.ferry.core.control.VerifierStatus;
import io.ferry.core.state.BinlogPosition;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /api/status} and {@code GET /api/health}: Ghostferry's {@code ControlServerStatus} (with its
 * embedded {@code Progress}) and the fork's {@code StatusDeprecated}, limited to what ferry knows, plus a few ferry
 * fields. Field names are Go's (written in upper camel case); durations are nanoseconds and times RFC 3339, as Go's
 * encoder writes {@code time.Duration} and {@code time.Time}.
 */
public record StatusJson(
        String ghostferryVersion,
        String sourceHostPort,
        String targetHostPort,
        String overallState,
        String currentState,
        String startTime,
        String currentTime,
        long timeTaken,
        @SerializedName("ETA") Long eta,
        long binlogStreamerLag,
        long paginationKeysPerSecond,
        String binlogWriterState,
        String binlogWriterStateTs,
        long binlogWriterStateTsAge,
        boolean automaticCutover,
        boolean binlogStreamerStopRequested,
        Position lastSuccessfulBinlogPos,
        Position lastStreamedBinlogPos,
        long eventsApplied,
        long rowsCopied,
        boolean throttled,
        boolean migrationThrottled,
        boolean replicationThrottled,
        int completedTableCount,
        int totalTableCount,
        int activeDataIterators,
        List<TableStatusJson> tableStatuses,
        Map<String, TableProgressJson> tables,
        List<String> allTableNames,
        List<String> allDatabaseNames,
        boolean verifierSupport,
        boolean verifierAvailable,
        boolean verificationStarted,
        boolean verificationDone,
        VerificationResultJson verificationResult,
        String verificationErr,
        List<ServerWaitJson> serverWaits) {

    /** A statement a server has not answered yet (ferry's own field). */
    public record ServerWaitJson(String server, String statement, long waitingSeconds, boolean timed) {
    }

    /** Go's {@code mysql.Position}. */
    public record Position(String name, long pos) {
        static Position of(BinlogPosition p) {
            return new Position(p.file(), p.offset());
        }
    }

    /** Ghostferry's {@code TableStatusDeprecated}, plus row counts. */
    public record TableStatusJson(String tableName, String paginationKeyName, String status,
                                  String lastSuccessfulPaginationKey, String targetPaginationKey, int batchSize,
                                  long rowsWritten, long estimatedRows) {
    }

    /** Ghostferry's {@code TableProgress} (the values of {@code Progress.Tables}), plus the estimated size. */
    public record TableProgressJson(String lastSuccessfulPaginationKey, String targetPaginationKey,
                                    String currentAction, long rowsWritten, int batchSize, long bytesWritten,
                                    long estimatedRows) {
    }

    /** Ghostferry's {@code VerificationResult}. */
    public record VerificationResultJson(boolean dataCorrect, String message, List<String> incorrectTables) {
    }

    /** The JSON view of {@code s}; {@code batchSize} is the run's current {@code DataIterationBatchSize}. */
    public static StatusJson of(RunStatus s, String version, int batchSize) {
        var replication = s.replication();
        Duration writerAge = Duration.between(replication.writerStateAt(), s.at());
        List<TableStatusJson> statuses = s.tables().stream().map(t -> new TableStatusJson(t.table(), t.paginationKey(),
                t.isCompleted() ? "complete" : t.action(), nullToEmpty(t.lastKey()), nullToEmpty(t.targetKey()),
                batchSize, t.rowsWritten(), t.estimatedRows())).toList();
        Map<String, TableProgressJson> tables = new LinkedHashMap<>();
        for (TableStatus t : s.tables()) {
            tables.put(t.table(), new TableProgressJson(t.lastKey(), t.targetKey(), t.action(), t.rowsWritten(),
                    batchSize, t.bytesWritten(), t.estimatedRows()));
        }
        List<String> names = s.tables().stream().map(TableStatus::table).toList();
        List<String> databases = names.stream().map(n -> n.substring(0, n.indexOf('.'))).distinct().sorted().toList();
        VerifierStatus v = s.verifier();
        return new StatusJson(version, s.sourceHostPort(), s.targetHostPort(), s.phase().stateName(),
                s.phase().stateName(), s.startedAt().toString(), s.at().toString(), s.timeTaken().toNanos(),
                s.throughput().eta() == null ? null : s.throughput().eta().toNanos(),
                (long) (replication.lagSeconds() * 1e9), Math.round(s.throughput().rowsPerSecond()),
                replication.writerState().stateName(), replication.writerStateAt().toString(), writerAge.toNanos(),
                s.automaticCutover(), s.stopRequested(), Position.of(replication.lastApplied()),
                Position.of(replication.lastStreamed()), replication.eventsApplied(), s.rowsCopied(),
                s.copyPaused() || s.replicationPaused(), s.copyPaused(), s.replicationPaused(),
                (int) s.completedTables(), s.tables().size(),
                (int) s.tables().stream().filter(t -> "copying".equals(t.action())).count(), statuses, tables, names,
                databases, v.supported(), v.available(), v.started(), v.done(),
                v.done() && v.correct() != null ? new VerificationResultJson(v.correct(), v.message(), List.of()) : null,
                v.done() && v.correct() == null ? v.message() : null,
                s.waits().stream().map(w -> new ServerWaitJson(w.server(), w.statement(), w.age(s.at()).toSeconds(),
                        w.timed())).toList());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
