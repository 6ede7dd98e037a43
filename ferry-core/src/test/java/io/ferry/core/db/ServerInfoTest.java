package io.ferry.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The spelling of each statement ferry runs, chosen from {@code VERSION()}; for the versions no test server runs
 * (MySQL 5.7, 8.2, 8.4, 9.x), this is the only check.
 */
class ServerInfoTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            5.7.44-log                     | MYSQL   |  5 |  7 | 44 | SHOW MASTER STATUS     | SHOW SLAVE HOSTS | LOCK IN SHARE MODE
            8.0.21                         | MYSQL   |  8 |  0 | 21 | SHOW MASTER STATUS     | SHOW SLAVE HOSTS | FOR SHARE NOWAIT
            8.0.22                         | MYSQL   |  8 |  0 | 22 | SHOW MASTER STATUS     | SHOW REPLICAS    | FOR SHARE NOWAIT
            8.0.31                         | MYSQL   |  8 |  0 | 31 | SHOW MASTER STATUS     | SHOW REPLICAS    | FOR SHARE NOWAIT
            8.1.0                          | MYSQL   |  8 |  1 |  0 | SHOW MASTER STATUS     | SHOW REPLICAS    | FOR SHARE NOWAIT
            8.2.0                          | MYSQL   |  8 |  2 |  0 | SHOW BINARY LOG STATUS | SHOW REPLICAS    | FOR SHARE NOWAIT
            8.4.3                          | MYSQL   |  8 |  4 |  3 | SHOW BINARY LOG STATUS | SHOW REPLICAS    | FOR SHARE NOWAIT
            9.1.0-commercial               | MYSQL   |  9 |  1 |  0 | SHOW BINARY LOG STATUS | SHOW REPLICAS    | FOR SHARE NOWAIT
            10.2.44-MariaDB                | MARIADB | 10 |  2 | 44 | SHOW MASTER STATUS     | SHOW SLAVE HOSTS | LOCK IN SHARE MODE
            10.11.19-MariaDB-0+deb12u1-log | MARIADB | 10 | 11 | 19 | SHOW MASTER STATUS     | SHOW SLAVE HOSTS | LOCK IN SHARE MODE NOWAIT
            11.4.5-MariaDB-log             | MARIADB | 11 |  4 |  5 | SHOW MASTER STATUS     | SHOW SLAVE HOSTS | LOCK IN SHARE MODE NOWAIT
            5.5.5-10.6.16-MariaDB          | MARIADB | 10 |  6 | 16 | SHOW MASTER STATUS     | SHOW SLAVE HOSTS | LOCK IN SHARE MODE NOWAIT
            """)
    void eachVersionGetsTheStatementsItKnows(String version, ServerFlavor flavor, int major, int minor, int patch,
                                              String binlogStatus, String replicas, String shareLock) {
        ServerInfo info = ServerInfo.parse(version);
        assertEquals(flavor, info.flavor());
        assertEquals(major, info.major());
        assertEquals(minor, info.minor());
        assertEquals(patch, info.patch());
        assertEquals(binlogStatus, info.binlogStatusStatement());
        assertEquals(replicas, info.replicasStatement());
        assertEquals(shareLock, info.shareLockClause());
    }
}
