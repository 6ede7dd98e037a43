package io.ferry.core.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ferry.core.TableId;
import io.ferry.core.db.DataSources;
import io.ferry.core.db.LocalInfile;
import io.ferry.core.db.ServerFlavor;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import io.ferry.testing.AllTypes;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TableComparison;
import io.ferry.testing.TestPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Values read in text form from the source and written back with {@link SqlLiterals}, as literals and as bound
 * parameters, and loaded with {@link LoadDataRows}, land on the target byte for byte, for every column family and its
 * edge values.
 */
@MySqlPair
class TextFormRoundTripIT {
    @Test
    void everyValueSurvivesAsLiteralAndAsBoundParameter(TestPair pair) throws Exception {
        String db = pair.database();
        TableId src = new TableId(db, "types");
        pair.source().exec("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'",
                AllTypes.DDL.formatted(src.sql()));
        pair.source().exec("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_BACKSLASH_ESCAPES'");
        try (Connection c = pair.source().connect(); Statement st = c.createStatement()) {
            st.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'");
            st.execute(AllTypes.ROWS.formatted(src.sql()));
        }
        TableSchema schema;
        List<Row> rows = new ArrayList<>();
        ServerInfo target;
        try (Connection c = pair.source().connect(); Statement st = c.createStatement()) {
            schema = SchemaLoader.loadOne(c, src);
            try (ResultSet rs = st.executeQuery("SELECT " + SqlLiterals.selectList(schema.columns()) + " FROM "
                    + src.sql() + " ORDER BY id")) {
                while (rs.next()) {
                    rows.add(SqlLiterals.readRow(rs, 1, schema.columns().size()));
                }
            }
        }
        assertEquals(4, rows.size());
        pair.target().exec("CREATE DATABASE `" + db + "` CHARACTER SET utf8mb4");
        TableId viaLiterals = new TableId(db, "via_literals");
        TableId viaBinds = new TableId(db, "via_binds");
        pair.target().exec(AllTypes.DDL.formatted(viaLiterals.sql()), AllTypes.DDL.formatted(viaBinds.sql()));
        List<ColumnSchema> writable = schema.writableColumns();
        String columns = writable.stream().map(c -> Sql.quote(c.name())).collect(Collectors.joining(", "));
        try (Connection c = pair.target().connect()) {
            target = ServerInfo.of(c);
            var literals = new SqlLiterals(target.flavor());
            try (Statement st = c.createStatement()) {
                for (Row row : rows) {
                    var sql = new StringBuilder("INSERT INTO " + viaLiterals.sql() + " (" + columns + ") VALUES (");
                    for (int i = 0; i < writable.size(); i++) {
                        sql.append(i == 0 ? "" : ", ");
                        ColumnSchema col = writable.get(i);
                        literals.append(sql, col, row.get(schema.columns().indexOf(col)));
                    }
                    st.execute(sql.append(')').toString());
                }
            }
            String placeholders = writable.stream().map(literals::placeholder).collect(Collectors.joining(", "));
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO " + viaBinds.sql() + " (" + columns + ") VALUES (" + placeholders + ")")) {
                for (Row row : rows) {
                    for (int i = 0; i < writable.size(); i++) {
                        ColumnSchema col = writable.get(i);
                        literals.bind(ps, i + 1, col, row.get(schema.columns().indexOf(col)));
                    }
                    ps.executeUpdate();
                }
            }
        }
        TableComparison.assertIdentical(pair.source(), src, pair.target(), viaLiterals);
        TableComparison.assertIdentical(pair.source(), src, pair.target(), viaBinds);
        if (LoadDataRows.loadable(writable, target.flavor())) {
            TableId viaLoad = new TableId(db, "via_load");
            pair.target().exec(AllTypes.DDL.formatted(viaLoad.sql()));
            var load = new LoadDataRows(viaLoad, schema.columns(), writable, new SqlLiterals(target.flavor()));
            var data = new LoadDataRows.Bytes(1024);
            rows.forEach(row -> load.append(data, row));
            try (var pool = DataSources.open("load-test", pair.target().ferryConfig(), 1, Map.of(), true);
                 Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                if (localInfile(st)) {
                    assertEquals(rows.size(), LocalInfile.load(st, load.statement(), data.array(), data.size()));
                    TableComparison.assertIdentical(pair.source(), src, pair.target(), viaLoad);
                } else {
                    // The target refuses loads (MySQL's default); ferry then inserts, as above.
                    assertThrows(SQLException.class, () -> LocalInfile.load(st, load.statement(), data.array(),
                            data.size()));
                }
            }
        } else {
            assertEquals(ServerFlavor.MYSQL, target.flavor(), "only MySQL's JSON is not loadable");
        }
    }

    private static boolean localInfile(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT @@GLOBAL.local_infile")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
