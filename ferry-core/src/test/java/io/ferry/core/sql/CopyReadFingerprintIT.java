package io.ferry.core.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.TableId;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import io.ferry.testing.AllTypes;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fingerprint the inline check computes from the values the copy read ({@link RowFingerprint#fromCopyRead}) is
 * the one the server computes for the same row, for every value family and its edge values: a difference would send
 * every row of the batch to be compared again.
 */
@MySqlPair
@Tag("engines")
class CopyReadFingerprintIT {
    @ParameterizedTest(name = "portable {0}")
    @ValueSource(booleans = {false, true})
    void theCopysFingerprintOfEveryValueIsTheServers(boolean portable, TestPair pair) throws Exception {
        String db = pair.newDatabase("copy_fp");
        TableId t = new TableId(db, "types");
        try (Connection c = pair.source().connect(); Statement st = c.createStatement()) {
            st.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'");
            st.execute(AllTypes.DDL.formatted(t.sql()));
            st.execute("ALTER TABLE " + t.sql() + " ADD zf INT(6) UNSIGNED ZEROFILL, ADD u3 VARCHAR(9) CHARACTER SET"
                    + " utf8mb3, ADD asc_ CHAR(3) CHARACTER SET ascii");
            st.execute(AllTypes.ROWS.formatted(t.sql()));
            st.execute("UPDATE " + t.sql() + " SET zf = id * 7, u3 = CONCAT('é', id), asc_ = 'ab' WHERE id < 3");
        }
        try (Connection c = pair.source().connect(); Statement st = c.createStatement()) {
            ServerInfo server = ServerInfo.of(c);
            TableSchema schema = SchemaLoader.loadOne(c, t);
            var fp = new RowFingerprint(schema, Set.of(), Set.of(), server.flavor(),
                    RowFingerprint.jsonTextColumns(c, t, server.flavor()), portable);
            RowReader reader = RowReader.of(schema, server);
            int width = reader.width();
            String sql = "SELECT " + reader.selectList() + ", " + fp.copyReadExpression() + ", " + fp.selectList()
                    + " FROM " + t.sql() + " ORDER BY id";
            int rows = 0;
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    Row row = reader.read(rs, 1);
                    String fromCopy = fp.fromCopyRead(rs.getString(width + 1), schema, row);
                    assertEquals(fp.read(rs, width + 2), fromCopy, "row " + rs.getInt("id"));
                    rows++;
                }
            }
            assertEquals(4, rows);
            // Only FLOAT, DOUBLE, JSON, latin1 text and the zero-filled integer are left to the server.
            int serverParts = fp.copyReadExpression().split("MD5\\(", -1).length - 1;
            assertTrue(serverParts <= 5, fp.copyReadExpression());
        }
    }
}
