package io.ferry.cli;

import io.ferry.core.TableId;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.Sql;
import io.ferry.core.sql.SqlLiterals;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Compares tables on two servers by streaming every row in primary-key order, in exact text form, through a
 * SHA-256 digest on each side. Equal digests and counts mean equal tables, byte for byte.
 */
final class TableDigests {
    private final DatabaseConfig source;
    private final DatabaseConfig target;

    TableDigests(DatabaseConfig source, DatabaseConfig target) {
        this.source = source;
        this.target = target;
    }

    /** One line per differing table; empty when all are identical. */
    List<String> compare(List<String> tables, String database) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection s = DemoCommand.connect("source", source); Connection t = DemoCommand.connect("target", target)) {
            for (String name : tables) {
                TableId id = new TableId(database, name);
                TableSchema schema = SchemaLoader.loadOne(s, id);
                Digest a = digest(s, schema);
                Digest b = digest(t, schema);
                if (!a.equals(b)) {
                    out.add(id + ": source " + a + ", target " + b);
                }
            }
        }
        return out;
    }

    private record Digest(long rows, String sha256) {
        @Override
        public String toString() {
            return rows + " rows, sha256 " + sha256.substring(0, 16);
        }
    }

    private static Digest digest(Connection c, TableSchema schema) throws SQLException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String order = schema.primaryKey().stream().map(Sql::quote).collect(Collectors.joining(", "));
        List<ColumnSchema> columns = schema.columns();
        long rows = 0;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + SqlLiterals.selectList(columns) + " FROM " + schema.id().sql()
                     + " ORDER BY " + order)) {
            while (rs.next()) {
                rows++;
                for (int i = 1; i <= columns.size(); i++) {
                    byte[] v = rs.getBytes(i);
                    if (v == null) {
                        md.update((byte) 0);
                    } else {
                        md.update((byte) 1);
                        md.update(ByteBuffer.allocate(4).putInt(v.length).array());
                        md.update(v);
                    }
                }
            }
        }
        return new Digest(rows, HexFormat.of().formatHex(md.digest()));
    }
}
