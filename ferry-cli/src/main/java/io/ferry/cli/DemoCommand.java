package io.ferry.cli;

import com.sun.net.httpserver.HttpServer;
import io.ferry.copy.Ferry;
import io.ferry.copy.RunHooks;
import io.ferry.core.TableId;
import io.ferry.core.config.ConfigLoader;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.control.RunStatus;
import io.ferry.core.db.DataSources;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ferry demo}: a complete online migration on the local pair. Creates a shop database on the source, keeps
 * writing to it, copies it with automatic cutover (the writers stop when the cutover lock is taken, as an
 * application would), then compares every table on both sides.
 */
final class DemoCommand {
    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
    static final String DATABASE = "ferry_demo";
    static final String USAGE = """
            Usage: ferry demo [--scale N]

            Runs a whole online copy on the local server pair (bin/mysql-pair, started by bin/ferry demo):
            creates the sample database 'ferry_demo' on the source (customers, products, orders, order_items with
            foreign keys and many column types), keeps inserting, updating and deleting while ferry copies it,
            cuts over automatically, and compares source and target row by row.

              --scale N   multiplies the sample size (default 1: about 50,000 rows)

            Servers: FERRY_TEST_SOURCE_HOST/_PORT/_USER/_PASSWORD and FERRY_TEST_TARGET_... when set,
            else the local pair on 127.0.0.1:29291 and :29292.
            """;

    private DemoCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        int scale = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scale" -> scale = Integer.parseInt(args[++i]);
                case "-h", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> {
                    err.print("ferry demo: unknown argument " + args[i] + "\n" + USAGE);
                    return 2;
                }
            }
        }
        DatabaseConfig source = server("SOURCE", 29291);
        DatabaseConfig target = server("TARGET", 29292);
        var shop = new DemoShop(source, DATABASE);
        try (Connection t = connect("target", target); Statement st = t.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS `" + DATABASE + "`");
        }
        LOG.info("demo: creating the sample database {} on the source ({})", DATABASE, source.describe());
        shop.create(scale);

        try (var writer = shop.startWriting(2);
             var callbacks = new CutoverEndpoint(writer)) {
            CopydbConfig config = ConfigLoader.parse(config(source, target, callbacks), Map.of(), Path.of("."));
            try (var ferry = new Ferry(config, RunHooks.NONE)) {
                var reporter = Thread.ofVirtual().start(() -> report(ferry));
                try {
                    ferry.run();
                } finally {
                    reporter.interrupt();
                }
                RunStatus status = ferry.status();
                out.printf("demo: copied %d rows and applied %d binlog row changes while %d application writes ran%n",
                        status.rowsCopied(), status.eventsApplied(), writer.writes());
            }
        }

        List<String> differences = new TableDigests(source, target).compare(shop.tables(), DATABASE);
        if (differences.isEmpty()) {
            out.printf("demo: source and target are identical (%d tables compared row by row)%n", shop.tables().size());
            return 0;
        }
        out.println("demo: source and target DIFFER:");
        differences.forEach(d -> out.println("  " + d));
        return 1;
    }

    private static void report(Ferry ferry) {
        try {
            while (true) {
                Thread.sleep(2000);
                RunStatus s = ferry.status();
                LOG.info("demo: {} - tables {}/{} done, {} rows copied, {} binlog changes applied, lag {} s",
                        s.phase().stateName(), s.completedTables(), s.tables().size(), s.rowsCopied(),
                        s.eventsApplied(), String.format("%.1f", s.binlogLagSeconds()));
            }
        } catch (InterruptedException e) {
            // run finished
        }
    }

    private static String config(DatabaseConfig source, DatabaseConfig target, CutoverEndpoint callbacks) {
        return """
                {
                  "Source": %s,
                  "Target": %s,
                  "Databases": {"Whitelist": ["%s"]},
                  "AutomaticCutover": true,
                  "CutoverLock": {"URI": "%s", "Payload": "stop writing"},
                  "CutoverUnlock": {"URI": "%s", "Payload": "switch to target"}
                }""".formatted(json(source), json(target), DATABASE, callbacks.url("/lock"), callbacks.url("/unlock"));
    }

    private static String json(DatabaseConfig db) {
        return "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\"}".formatted(
                db.host(), db.port(), db.user(), db.password().value().replace("\\", "\\\\").replace("\"", "\\\""));
    }

    static DatabaseConfig server(String side, int pairPort) {
        String prefix = "FERRY_TEST_" + side + "_";
        String host = System.getenv(prefix + "HOST");
        if (host == null) {
            return DatabaseConfig.tcp("127.0.0.1", pairPort, "ferry", "ferry-test-pw");
        }
        return DatabaseConfig.tcp(host, Integer.parseInt(System.getenv().getOrDefault(prefix + "PORT", "3306")),
                System.getenv().getOrDefault(prefix + "USER", "root"), System.getenv().getOrDefault(prefix + "PASSWORD", ""));
    }

    static Connection connect(String role, DatabaseConfig db) throws SQLException {
        try {
            return DataSources.connect(db);
        } catch (SQLException e) {
            throw DataSources.unreachable(role, db, e);
        }
    }

    /** The application side of the cutover: taking the lock stops the writers. */
    private static final class CutoverEndpoint implements AutoCloseable {
        private final HttpServer server;

        CutoverEndpoint(DemoShop.Writer writer) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/lock", exchange -> {
                LOG.info("demo: cutover lock taken; the application stops writing");
                writer.stop();
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.createContext("/unlock", exchange -> {
                LOG.info("demo: cutover done; the application would now switch to the target");
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static List<TableId> ids(List<String> names) {
        return names.stream().map(n -> new TableId(DATABASE, n)).toList();
    }
}
