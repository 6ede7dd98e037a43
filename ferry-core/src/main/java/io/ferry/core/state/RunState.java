package io.ferry.core.state;

import io.ferry.core.TableId;
import io.ferry.core.schema.TableSchema;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything needed to continue an interrupted run: which server and tables it copies, how far each table's copy
 * got (per key range), which tables are complete, and the binlog positions durably applied. Written as JSON by
 * {@link StateCodec} (Ghostferry's field names where they exist). Copy progress is only ever saved after the
 * target commit that wrote it, and binlog positions only after the transaction that applied them, so resuming
 * from any saved state re-does at most work that is idempotent (DESIGN.md invariants 3 and 4).
 *
 * @param formatVersion       {@link #FORMAT_VERSION} of the writer
 * @param ferryVersion        the ferry version that wrote it (written as {@code GhostferryVersion})
 * @param savedAt             when it was written
 * @param source              the source server
 * @param tables              every table the run copies (source names)
 * @param descending          whether tables are copied from their highest key down
 * @param schemaCache         the source table schemas at the time; {@code null} to reload them on resume
 * @param copyProgress        the key ranges of tables whose copy started and is not complete
 * @param completedTables     tables wholly copied
 * @param applierPosition     the binlog applier's position ({@code LastWrittenBinlogPosition})
 * @param inlineVerifierPosition the inline verifier's position, {@link ResumablePosition#NONE} without one
 * @param verifyStore         the verifier's reverify store as opaque JSON, or {@code null}
 * @param pendingSchemaChange a replicated schema change that may or may not have been applied, or {@code null}
 * @param rowFilter           the identity of the row filter of a selective copy ({@code RowFilter.identity()}), or
 *                            {@code null} when every row is copied
 */
public record RunState(
        int formatVersion,
        String ferryVersion,
        Instant savedAt,
        SourceIdentity source,
        Set<TableId> tables,
        boolean descending,
        Map<TableId, TableSchema> schemaCache,
        Map<TableId, List<RangeState>> copyProgress,
        Set<TableId> completedTables,
        ResumablePosition applierPosition,
        ResumablePosition inlineVerifierPosition,
        String verifyStore,
        PendingSchemaChange pendingSchemaChange,
        String rowFilter) {

    /** The state format this ferry writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /** A state of a run that moves every row ({@code rowFilter} null). */
    public RunState(int formatVersion, String ferryVersion, Instant savedAt, SourceIdentity source, Set<TableId> tables,
                    boolean descending, Map<TableId, TableSchema> schemaCache, Map<TableId, List<RangeState>> copyProgress,
                    Set<TableId> completedTables, ResumablePosition applierPosition,
                    ResumablePosition inlineVerifierPosition, String verifyStore, PendingSchemaChange pendingSchemaChange) {
        this(formatVersion, ferryVersion, savedAt, source, tables, descending, schemaCache, copyProgress,
                completedTables, applierPosition, inlineVerifierPosition, verifyStore, pendingSchemaChange, null);
    }

    /** A state without a pending schema change. */
    public RunState(int formatVersion, String ferryVersion, Instant savedAt, SourceIdentity source, Set<TableId> tables,
                    boolean descending, Map<TableId, TableSchema> schemaCache, Map<TableId, List<RangeState>> copyProgress,
                    Set<TableId> completedTables, ResumablePosition applierPosition,
                    ResumablePosition inlineVerifierPosition, String verifyStore) {
        this(formatVersion, ferryVersion, savedAt, source, tables, descending, schemaCache, copyProgress,
                completedTables, applierPosition, inlineVerifierPosition, verifyStore, null);
    }

    public RunState {
        Objects.requireNonNull(ferryVersion, "ferryVersion");
        Objects.requireNonNull(savedAt, "savedAt");
        Objects.requireNonNull(source, "source");
        tables = new TreeSet<>(tables);
        schemaCache = schemaCache == null ? null : Map.copyOf(schemaCache);
        var progress = new LinkedHashMap<TableId, List<RangeState>>();
        copyProgress.forEach((t, ranges) -> progress.put(t, List.copyOf(ranges)));
        copyProgress = Collections.unmodifiableMap(progress);
        completedTables = new TreeSet<>(completedTables);
        Objects.requireNonNull(applierPosition, "applierPosition");
        inlineVerifierPosition = inlineVerifierPosition == null ? ResumablePosition.NONE : inlineVerifierPosition;
    }

    /**
     * Where binlog streaming resumes: the lower of the applier's and the inline verifier's positions (a consumer
     * without a position does not count), so no consumer misses an event.
     */
    public ResumablePosition minBinlogPosition() {
        ResumablePosition min = applierPosition;
        ResumablePosition v = inlineVerifierPosition;
        if (min.event().isNone() || (!v.event().isNone() && v.event().compareTo(min.event()) < 0)) {
            min = v;
        }
        return min;
    }

    /** This state without the schema cache ({@code DoNotIncludeSchemaCacheInStateDump}). */
    public RunState withoutSchemaCache() {
        return new RunState(formatVersion, ferryVersion, savedAt, source, tables, descending, null, copyProgress,
                completedTables, applierPosition, inlineVerifierPosition, verifyStore, pendingSchemaChange);
    }
}
