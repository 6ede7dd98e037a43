package io.ferry.core.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.config.ConfigLoader;
import io.ferry.core.config.DatabaseConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@code Params}' driver options reach Connector/J. */
class DataSourcesUrlTest {
    private static String url(String params) {
        String json = ("{'Source': {'Host': 'src', 'User': 'u', 'Params': {" + params + "}}, 'Target': {'Host': 't', 'User': 'u'}}")
                .replace('\'', '"');
        DatabaseConfig db = ConfigLoader.parse(json, Map.of(), Path.of(".")).source();
        return DataSources.jdbcUrl(db, Map.of(), db.collation());
    }

    @Test
    void driverOptionsBecomeConnectorJProperties() {
        String url = url("'timeout': '2s', 'maxAllowedPacket': '1048576', 'compress': 'true', 'tls': 'skip-verify',"
                + " 'connectionAttributes': 'app:shop'");
        assertTrue(url.contains("&connectTimeout=2000"), url);
        assertTrue(url.contains("&maxAllowedPacket=1048576"), url);
        assertTrue(url.contains("&useCompression=true"), url);
        assertTrue(url.contains("&sslMode=REQUIRED"), url);
        assertTrue(url.contains("&connectionAttributes=app%3Ashop"), url);
    }

    @Test
    void withoutThemFerrysDefaultsApply() {
        String url = url("");
        assertTrue(url.contains("&connectTimeout=10000") && url.contains("&maxAllowedPacket=268435456")
                && url.contains("&sslMode=PREFERRED"), url);
        assertFalse(url.contains("useCompression") || url.contains("connectionAttributes"), url);
        // 0: the driver takes the server's max_allowed_packet.
        assertFalse(url("'maxAllowedPacket': '0'").contains("maxAllowedPacket"));
    }
}
