package io.ferry.core.db;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import io.ferry.testing.TestServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The statements {@link ServerInfo} picks for the servers at hand run on them, with the columns ferry reads. */
@MySqlPair
class ServerDialectIT {
    private final TestPair pair;

    ServerDialectIT(TestPair pair) {
        this.pair = pair;
    }

    @Test
    void theBinlogStatusAndReplicaStatementsRunOnBothServers() throws Exception {
        for (TestServer server : new TestServer[] {pair.source(), pair.target()}) {
            try (Connection c = server.connect(); Statement st = c.createStatement()) {
                ServerInfo info = ServerInfo.of(c);
                try (ResultSet rs = st.executeQuery(info.binlogStatusStatement())) {
                    assertTrue(rs.next(), server + ": " + info.binlogStatusStatement() + " returned no row");
                    assertTrue(!rs.getString(1).isEmpty() && rs.getLong(2) >= 4, server + ": file and position");
                }
                try (ResultSet rs = st.executeQuery(info.replicasStatement())) {
                    assertTrue(rs.getMetaData().getColumnLabel(1).equalsIgnoreCase("Server_id"),
                            server + ": the server id comes first");
                }
            }
        }
    }
}
