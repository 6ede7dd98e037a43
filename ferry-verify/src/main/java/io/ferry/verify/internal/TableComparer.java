package io.ferry.verify.internal;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.VerificationConfig;
import io.ferry.core.db.ServerCollations;
import io.ferry.core.db.SqlErrors;
import io.ferry.core.filter.RowSelection;
import io.ferry.core.keyset.KeyRange;
import io.ferry.core.keyset.KeyValues;
import io.ferry.core.keyset.KeysetCursor;
import io.ferry.core.schema.ColumnKind;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.KeyOrder;
import io.ferry.core.sql.RowFingerprint;
import io.ferry.core.sql.Sql;
import io.ferry.core.sql.SqlLiterals;
import io.ferry.core.verify.Mismatch;
import io.ferry.core.verify.VerificationScope;
import io.ferry.core.verify.VerifiedTable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Compares one table on both sides by server-computed row fingerprints ({@link RowFingerprint}), either whole, in
 * key ranges ({@link #scan}), or for given keys ({@link #compare}). A range is read from the source in key order
 * ({@code LIMIT n}); the target is read over exactly the same key interval, in the same order (the target's key
 * columns are compared in the source's collation when they differ), so rows are matched by key and every row of
 * either side is looked at once. Java only matches keys for equality; the order is the server's.
 * The columns that differ are named by {@link DifferingColumns}.
 */
public final class TableComparer {
    private static final int KEYS_PER_QUERY = 200;

    /** A difference, with the row's key in {@link KeyText#encode} form ("" for a whole-table difference). */
    public record Difference(String key, Mismatch mismatch) {
    }

    private record Fetched(List<byte[]> key, String fingerprint, byte[][] compressed) {
    }

    private final VerifiedTable table;
    private final TableId targetId;
    private final DataSource source;
    private final DataSource target;
    private final boolean targetMissing;
    private final KeysetCursor sourceCursor;
    private final KeysetCursor targetCursor;
    private final RowFingerprint sourceFingerprint;
    private final RowFingerprint targetFingerprint;
    private final int batchSize;
    private final DifferingColumns differingColumns;
    /** Every key column is an integer: key ranges hold the same keys on both sides. */
    private final boolean integerKey;
    /** How the copy's rows are checked against the target value by value, or {@code null} (see {@link #checksValues}). */
    private final ValueCheck valueCheck;
    /** The SELECT list of {@link #checkValuesAgainstTarget}: the target's key, then the compared columns. */
    private final String valueCheckColumns;

    /**
     * The copy's check without fingerprints: the target's values of the fingerprinted columns, read in the same text
     * form as the copy's, compared byte for byte with the rows the copy wrote.
     *
     * @param sourceIndexes where each compared column is in the copy's rows (the source schema)
     * @param targetColumns the same columns on the target, in that order
     */
    private record ValueCheck(int[] sourceIndexes, List<ColumnSchema> targetColumns) {
    }

    private TableComparer(VerifiedTable table, DataSource source, DataSource target, boolean targetMissing,
                          KeysetCursor sourceCursor, KeysetCursor targetCursor, RowFingerprint sourceFingerprint,
                          RowFingerprint targetFingerprint, int batchSize, ValueCheck valueCheck) {
        this.table = table;
        this.valueCheck = valueCheck;
        this.valueCheckColumns = valueCheck == null ? null
                : targetCursor.key().selectList() + ", " + SqlLiterals.selectList(valueCheck.targetColumns());
        this.targetId = table.target();
        this.source = source;
        this.target = target;
        this.targetMissing = targetMissing;
        this.sourceCursor = sourceCursor;
        this.targetCursor = targetCursor;
        this.sourceFingerprint = sourceFingerprint;
        this.targetFingerprint = targetFingerprint;
        this.batchSize = batchSize;
        this.integerKey = !table.key().isEmpty() && table.key().stream().allMatch(ColumnSchema::isInteger);
        this.differingColumns = new DifferingColumns(table,
                new DifferingColumns.Side("source", source, sourceCursor, sourceFingerprint),
                new DifferingColumns.Side("target", target, targetCursor, targetFingerprint), this::failed);
    }

    /**
     * A comparer for {@code t}, reading the target table's schema now. Across engines (the scope's flavors differ)
     * fingerprints are portable (see {@link RowFingerprint}) and the target's key is compared in the target's own
     * collation where it does not know the source's (a collation mapped when the table was created).
     */
    public static TableComparer create(VerificationScope scope, VerifiedTable t, VerificationConfig config, int batchSize) {
        TableId id = t.id();
        TableSchema sourceSchema = t.source();
        TableSchema targetSchema;
        Set<String> json = new HashSet<>();
        boolean portable = scope.sourceFlavor() != scope.targetFlavor();
        ServerCollations targetCollations = null;
        try (Connection c = scope.target().getConnection(); Connection s = scope.source().getConnection()) {
            targetSchema = SchemaLoader.load(c, List.of(t.target())).get(t.target());
            json.addAll(RowFingerprint.jsonTextColumns(c, t.target(), scope.targetFlavor()));
            json.addAll(RowFingerprint.jsonTextColumns(s, id, scope.sourceFlavor()));
            if (portable) {
                targetCollations = ServerCollations.load(c);
            }
        } catch (SQLException e) {
            throw new RunFailed("reading the schema of " + t.target() + " on the target failed: " + SqlErrors.describe(e), e);
        }
        if (portable && targetSchema != null) {
            // A column JSON on either side is finished in Java on both, so both fingerprints cover the same parts.
            for (TableSchema side : List.of(sourceSchema, targetSchema)) {
                side.columns().stream().filter(col -> col.kind() == ColumnKind.JSON).forEach(col -> json.add(col.name()));
            }
        }
        var ignored = config.ignoredColumnsOf(id);
        var compressed = config.compressedColumnsOf(id).keySet();
        var sourceKey = KeyOrder.of(t.key(), new SqlLiterals(scope.sourceFlavor()));
        // The filter's rows on each side; its index hint names a source index, which the target may not have.
        // ForceIndexForVerification applies to both sides and wins over the filter's hint.
        RowSelection sourceRows = scope.rows().select(sourceSchema, id);
        RowSelection targetRows = scope.rows().select(sourceSchema, t.target()).withIndexHint("");
        Optional<String> forced = config.forcedIndexOf(id).map(i -> "FORCE INDEX (" + Sql.quote(i) + ")");
        if (forced.isPresent()) {
            sourceRows = sourceRows.withIndexHint(forced.get());
            targetRows = targetRows.withIndexHint(forced.get());
        }
        if (t.keyless()) {
            // Compressed values are compared as stored: there is no key to fetch them by for decompression.
            compressed = Set.of();
        }
        var sourceFp = new RowFingerprint(sourceSchema, ignored, compressed, scope.sourceFlavor(), json, portable);
        var sourceCursor = KeysetCursor.of(sourceKey, id, sourceRows);
        if (targetSchema == null) {
            return new TableComparer(t, scope.source(), scope.target(), true, sourceCursor,
                    KeysetCursor.of(sourceKey, t.target(), targetRows), sourceFp, sourceFp, batchSize, null);
        }
        List<ColumnSchema> targetKeyColumns = new ArrayList<>();
        for (ColumnSchema k : t.key()) {
            targetKeyColumns.add(targetSchema.column(k.name()).orElseThrow(() -> new RunFailed(t.target()
                    + " on the target has no column " + k.name() + ", part of the key " + id + " is verified by; "
                    + "the tables cannot be compared row by row")));
        }
        TableSchema targetInSourceOrder = inSourceOrder(sourceSchema, targetSchema);
        var targetFp = new RowFingerprint(targetInSourceOrder, ignored, compressed, scope.targetFlavor(), json, portable);
        KeyOrder targetKey = targetCollations == null ? sourceKey.on(targetKeyColumns)
                : sourceKey.on(targetKeyColumns, targetCollations::knows);
        ValueCheck values = portable || !compressed.isEmpty() || !sameColumns(sourceSchema, targetInSourceOrder) ? null
                : new ValueCheck(sourceFp.fingerprinted().stream().mapToInt(sourceSchema.columns()::indexOf).toArray(),
                        targetFp.fingerprinted());
        return new TableComparer(t, scope.source(), scope.target(), false, sourceCursor,
                KeysetCursor.of(targetKey, t.target(), targetRows), sourceFp, targetFp, batchSize, values);
    }

    /**
     * Whether the two tables have the same columns, of the same types, character sets and collations, in the same
     * order: then the same engine sends equal values as equal bytes.
     */
    private static boolean sameColumns(TableSchema source, TableSchema target) {
        if (source.columns().size() != target.columns().size()) {
            return false;
        }
        for (int i = 0; i < source.columns().size(); i++) {
            ColumnSchema a = source.columns().get(i);
            ColumnSchema b = target.columns().get(i);
            if (!a.name().equalsIgnoreCase(b.name()) || !a.columnType().equalsIgnoreCase(b.columnType())
                    || !Objects.equals(a.charset(), b.charset()) || !Objects.equals(a.collation(), b.collation())
                    || a.generated() != b.generated()) {
                return false;
            }
        }
        return true;
    }

    /** The target's columns in the source's column order (extra target columns last), so fingerprints line up. */
    private static TableSchema inSourceOrder(TableSchema source, TableSchema target) {
        List<ColumnSchema> ordered = new ArrayList<>();
        for (ColumnSchema c : source.columns()) {
            target.column(c.name()).ifPresent(ordered::add);
        }
        for (ColumnSchema c : target.columns()) {
            if (source.column(c.name()).isEmpty()) {
                ordered.add(c);
            }
        }
        return new TableSchema(target.id(), ordered, target.primaryKey(), target.uniqueKeys());
    }

    public TableId table() {
        return table.id();
    }

    /** Whether the table has no key: only {@link #scan} compares it, by counting row fingerprints. */
    public boolean keyless() {
        return table.keyless();
    }

    /**
     * Compares every row of the table, one key range of {@code batchSize} source rows at a time; a table without a
     * key is compared whole, by counting row fingerprints (its differences have no key).
     */
    public List<Difference> scan() {
        if (targetMissing) {
            return List.of(tableMissing());
        }
        if (table.keyless()) {
            return RowMultisets.compare(table.id(),
                    new RowMultisets.Side(source, "source", table.id(), sourceFingerprint, sourceCursor.from()),
                    new RowMultisets.Side(target, "target", targetId, targetFingerprint, targetCursor.from()))
                    .stream().map(m -> new Difference("", m)).toList();
        }
        List<Difference> out = new ArrayList<>();
        List<byte[]> last = null;
        while (true) {
            Map<String, Fetched> src = fetch(source, "source",
                    sourceCursor.select(columns(sourceCursor, sourceFingerprint), KeyRange.after(last), batchSize));
            if (src.isEmpty()) {
                extraTargetRows(last, out);
                return out;
            }
            List<byte[]> end = lastKey(src);
            Map<String, Fetched> tgt = fetch(target, "target",
                    targetCursor.select(columns(targetCursor, targetFingerprint), KeyRange.after(last).upTo(end)));
            diff(src, tgt, out);
            last = end;
        }
    }

    /** Compares the rows with the given keys ({@link KeyText#encode} form). */
    public List<Difference> compare(List<String> keys) {
        if (table.keyless()) {
            return List.of();
        }
        if (targetMissing) {
            return keys.isEmpty() ? List.of() : List.of(tableMissing());
        }
        List<Difference> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i += KEYS_PER_QUERY) {
            List<List<byte[]>> values = keys.subList(i, Math.min(keys.size(), i + KEYS_PER_QUERY)).stream()
                    .map(KeyText::decode).toList();
            Map<String, Fetched> src = fetch(source, "source",
                    sourceCursor.selectKeys(columns(sourceCursor, sourceFingerprint), values));
            Map<String, Fetched> tgt = fetch(target, "target",
                    targetCursor.selectKeys(columns(targetCursor, targetFingerprint), values));
            diff(src, tgt, out);
        }
        return out;
    }

    /**
     * Whether the copy's rows are checked against the target by value ({@link #checkValuesAgainstTarget}) rather
     * than by fingerprint: both sides are the same engine, the tables have the same columns and none is compared
     * decompressed. Equal bytes are equal data; bytes that differ only queue the row for a fingerprint comparison,
     * so the check is never weaker than the fingerprints, and neither server computes a hash for the copy.
     */
    public boolean checksValues() {
        return valueCheck != null;
    }

    /**
     * Compares the rows the copy wrote ({@code rows}, all columns in source order, as read) with what the target
     * holds, on the target connection {@code tx} inside the copy's write transaction. {@code batchRange} is the key
     * range the rows are all the source had of.
     */
    public List<Difference> checkValuesAgainstTarget(Connection tx, List<Row> rows, KeyRange batchRange)
            throws SQLException {
        if (targetMissing || rows.isEmpty() || table.keyless() || valueCheck == null) {
            return List.of();
        }
        int[] keyIndexes = keyIndexes();
        List<List<byte[]>> keys = new ArrayList<>(rows.size());
        for (Row r : rows) {
            keys.add(KeyValues.of(r, keyIndexes));
        }
        String sql = integerKey ? targetCursor.select(valueCheckColumns, batchRange)
                : targetCursor.selectKeys(valueCheckColumns, keys);
        List<List<byte[]>> heldKeys = new ArrayList<>(rows.size());
        List<Row> held = new ArrayList<>(rows.size());
        readHeld(tx, sql, heldKeys, held);
        // A key range read comes back in the copy's order: row n on both sides, unless a row is missing or extra.
        boolean aligned = integerKey && held.size() == rows.size();
        for (int n = 0; n < rows.size() && aligned; n++) {
            aligned = KeyValues.same(keys.get(n), heldKeys.get(n));
        }
        return aligned ? alignedDifferences(rows, keys, held) : keyedDifferences(rows, keys, heldKeys, held);
    }

    private void readHeld(Connection tx, String sql, List<List<byte[]>> heldKeys, List<Row> held) throws SQLException {
        int width = valueCheck.targetColumns().size();
        int keyWidth = sourceCursor.width();
        try (Statement st = tx.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                heldKeys.add(sourceCursor.readKey(rs, 1));
                held.add(SqlLiterals.readRow(rs, keyWidth + 1, width));
            }
        }
    }

    private List<Difference> alignedDifferences(List<Row> rows, List<List<byte[]>> keys, List<Row> held) {
        List<Difference> out = new ArrayList<>();
        for (int n = 0; n < rows.size(); n++) {
            if (!sameValues(rows.get(n), held.get(n))) {
                out.add(valueDifference(keys.get(n), Mismatch.Kind.CHECKSUM_DIFFERENCE));
            }
        }
        return out;
    }

    private List<Difference> keyedDifferences(List<Row> rows, List<List<byte[]>> keys, List<List<byte[]>> heldKeys,
                                              List<Row> held) {
        Map<String, Row> byKey = new HashMap<>();
        for (int n = 0; n < held.size(); n++) {
            byKey.put(KeyText.encode(heldKeys.get(n)), held.get(n));
        }
        List<Difference> out = new ArrayList<>();
        for (int n = 0; n < rows.size(); n++) {
            Row t = byKey.get(KeyText.encode(keys.get(n)));
            if (t == null || !sameValues(rows.get(n), t)) {
                out.add(valueDifference(keys.get(n),
                        t == null ? Mismatch.Kind.MISSING_ON_TARGET : Mismatch.Kind.CHECKSUM_DIFFERENCE));
            }
        }
        return out;
    }

    private Difference valueDifference(List<byte[]> key, Mismatch.Kind kind) {
        return new Difference(KeyText.encode(key), new Mismatch(table.id(), KeyText.render(table.key(), key), kind,
                "", "", List.of()));
    }

    private boolean sameValues(Row copied, Row held) {
        int[] at = valueCheck.sourceIndexes();
        for (int i = 0; i < at.length; i++) {
            if (!Arrays.equals(copied.get(at[i]), held.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Compares rows read by the copy (with the source fingerprints it computed, see {@link #sourceFingerprint})
     * against the target, on the target connection {@code tx} (inside the copy's write transaction). A row whose
     * fingerprint is empty is reported as differing, to be compared again through SQL. {@code batchRange} is the
     * key range the rows are all the source had of.
     */
    public List<Difference> checkAgainstTarget(Connection tx, List<List<byte[]>> keys, List<String> fingerprints,
                                               List<byte[][]> compressed, KeyRange batchRange) throws SQLException {
        if (targetMissing || keys.isEmpty() || table.keyless()) {
            return List.of();
        }
        Map<String, Fetched> src = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            src.put(KeyText.encode(keys.get(i)), new Fetched(keys.get(i), fingerprints.get(i), compressed.get(i)));
        }
        Map<String, Fetched> tgt;
        try (Statement st = tx.createStatement()) {
            // A batch is every source row of a key range: with an integer key (ordered alike on both sides, whatever
            // the collations) the target reads the same range in one index scan rather than key by key.
            String columns = columns(targetCursor, targetFingerprint);
            tgt = read(st, integerKey ? targetCursor.select(columns, batchRange)
                    : targetCursor.selectKeys(columns, keys), targetFingerprint);
        }
        List<Difference> out = new ArrayList<>();
        for (var e : src.entrySet()) {
            Fetched s = e.getValue();
            Fetched t = tgt.get(e.getKey());
            String key = KeyText.render(table.key(), s.key());
            if (t == null || !t.fingerprint().equals(s.fingerprint())) {
                out.add(new Difference(e.getKey(), new Mismatch(table.id(), key,
                        t == null ? Mismatch.Kind.MISSING_ON_TARGET : Mismatch.Kind.CHECKSUM_DIFFERENCE,
                        s.fingerprint(), t == null ? "" : t.fingerprint(), List.of())));
            } else {
                Difference d = compressedDifference(e.getKey(), key, s, t);
                if (d != null) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    /** Indexes, in the source schema, of the columns compared decompressed. */
    public int[] compressedIndexes() {
        return sourceFingerprint.compressed().stream().mapToInt(c -> table.source().columns().indexOf(c)).toArray();
    }

    /** Indexes, in the source schema, of the key columns. */
    public int[] keyIndexes() {
        return KeyValues.indexes(table.source(), table.key());
    }

    /** The source fingerprint expression, for the copy's read; {@link #sourceFingerprint} completes it. */
    public String sourceFingerprintExpression() {
        return sourceFingerprint.copyReadExpression();
    }

    /**
     * The source fingerprint of a row the copy read (all columns in text form, in source column order) with
     * {@link #sourceFingerprintExpression()} giving {@code serverPart}; empty when it cannot be finished here (a JSON
     * value in a character set Java does not decode), so the row is compared again through SQL.
     */
    public String sourceFingerprint(String serverPart, Row row) {
        return Objects.requireNonNullElse(sourceFingerprint.fromCopyRead(serverPart, table.source(), row), "");
    }

    /** The key of a row as read in the source schema's column order. */
    public List<ColumnSchema> keyColumns() {
        return table.key();
    }

    private Difference tableMissing() {
        return new Difference("", new Mismatch(table.id(), "", Mismatch.Kind.TABLE_MISSING_ON_TARGET, "", "",
                List.of()));
    }

    private void extraTargetRows(List<byte[]> after, List<Difference> out) {
        List<byte[]> last = after;
        while (true) {
            Map<String, Fetched> tgt = fetch(target, "target",
                    targetCursor.select(columns(targetCursor, targetFingerprint), KeyRange.after(last), batchSize));
            if (tgt.isEmpty()) {
                return;
            }
            diff(Map.of(), tgt, out);
            last = lastKey(tgt);
        }
    }

    private static List<byte[]> lastKey(Map<String, Fetched> rows) {
        Fetched last = null;
        for (Fetched f : rows.values()) {
            last = f;
        }
        return Objects.requireNonNull(last).key();
    }

    /** The key, the fingerprint and the compressed columns compared decompressed, as {@link #read} reads them. */
    private static String columns(KeysetCursor cursor, RowFingerprint fp) {
        String compressed = fp.compressedSelectList();
        return cursor.key().selectList() + ", " + fp.selectList() + (compressed.isEmpty() ? "" : ", " + compressed);
    }

    private void diff(Map<String, Fetched> src, Map<String, Fetched> tgt, List<Difference> out) {
        List<String> changed = new ArrayList<>();
        List<Difference> found = new ArrayList<>();
        for (var e : src.entrySet()) {
            Fetched s = e.getValue();
            Fetched t = tgt.get(e.getKey());
            String key = KeyText.render(table.key(), s.key());
            if (t == null) {
                found.add(new Difference(e.getKey(), new Mismatch(table.id(), key, Mismatch.Kind.MISSING_ON_TARGET,
                        s.fingerprint(), "", List.of())));
            } else if (!s.fingerprint().equals(t.fingerprint())) {
                changed.add(e.getKey());
                found.add(new Difference(e.getKey(), null)); // filled in below with the differing columns
            } else {
                Difference d = compressedDifference(e.getKey(), key, s, t);
                if (d != null) {
                    found.add(d);
                }
            }
        }
        for (var e : tgt.entrySet()) {
            if (!src.containsKey(e.getKey())) {
                found.add(new Difference(e.getKey(), new Mismatch(table.id(), KeyText.render(table.key(), e.getValue().key()),
                        Mismatch.Kind.MISSING_ON_SOURCE, "", e.getValue().fingerprint(), List.of())));
            }
        }
        Map<String, List<String>> columns = changed.isEmpty() ? Map.of()
                : differingColumns.of(changed, compressedValues(src), compressedValues(tgt));
        for (Difference d : found) {
            if (d.mismatch() != null) {
                out.add(d);
                continue;
            }
            Fetched s = src.get(d.key());
            Fetched t = tgt.get(d.key());
            out.add(new Difference(d.key(), new Mismatch(table.id(), KeyText.render(table.key(), s.key()),
                    Mismatch.Kind.CHECKSUM_DIFFERENCE, s.fingerprint(), t.fingerprint(),
                    columns.getOrDefault(d.key(), List.of()))));
        }
    }

    /** A difference in a compressed column of rows whose other columns agree, compared decompressed. */
    private Difference compressedDifference(String encoded, String key, Fetched s, Fetched t) {
        List<ColumnSchema> cols = sourceFingerprint.compressed();
        for (int i = 0; i < cols.size() && i < t.compressed().length; i++) {
            String name = cols.get(i).name();
            String a = Decompression.fingerprint(table.id(), name, s.compressed()[i]);
            String b = Decompression.fingerprint(table.id(), name, t.compressed()[i]);
            boolean nullness = (s.compressed()[i] == null) != (t.compressed()[i] == null);
            if (nullness || !a.equals(b)) {
                return new Difference(encoded, new Mismatch(table.id(), key, Mismatch.Kind.COLUMN_DIFFERENCE, a, b,
                        List.of(name)));
            }
        }
        return null;
    }

    private static Map<String, byte[][]> compressedValues(Map<String, Fetched> rows) {
        Map<String, byte[][]> out = new LinkedHashMap<>();
        rows.forEach((k, f) -> out.put(k, f.compressed()));
        return out;
    }

    private Map<String, Fetched> fetch(DataSource ds, String side, String sql) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            return read(st, sql, side.equals("source") ? sourceFingerprint : targetFingerprint);
        } catch (SQLException e) {
            throw failed(side, e);
        }
    }

    private Map<String, Fetched> read(Statement st, String sql, RowFingerprint fp) throws SQLException {
        int keys = sourceCursor.width();
        int compressed = sourceFingerprint.compressed().size();
        int compressedAt = keys + 1 + fp.selectWidth();
        Map<String, Fetched> out = new LinkedHashMap<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            int width = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<byte[]> k = sourceCursor.readKey(rs, 1);
                byte[][] raw = new byte[Math.min(compressed, width - compressedAt + 1)][];
                for (int i = 0; i < raw.length; i++) {
                    raw[i] = rs.getBytes(compressedAt + i);
                }
                out.put(KeyText.encode(k), new Fetched(k, fp.read(rs, keys + 1), raw));
            }
        }
        return out;
    }

    RunFailed failed(String side, SQLException e) {
        TableId id = side.equals("source") ? table.id() : targetId;
        return new RunFailed("verifying " + table.id() + ": reading fingerprints of " + id + " on the " + side
                + " failed: " + SqlErrors.describe(e), e);
    }
}
