/**
 * ferry's shared vocabulary: table and column schemas, SQL quoting and literal rendering, keyset pagination, binlog
 * positions, configuration records, the run-state model, the control and verifier contracts, and a small structured
 * task scope on virtual threads. Every other ferry module depends on this one and on nothing above it.
 */
module io.ferry.core {
    requires transitive java.sql;
    requires org.slf4j;
    requires com.google.gson;
    requires com.zaxxer.hikari;
    // The JDBC driver's own API: LOAD DATA LOCAL INFILE fed from memory (LocalInfile), and the TLS handshake with
    // a TLS.ServerName other than the host (io.ferry.core.db.tls).
    requires mysql.connector.j;

    // The API of ferry as a library: configs, the control and verifier contracts, schemas, states.
    exports io.ferry.core;
    exports io.ferry.core.config;
    exports io.ferry.core.control;
    exports io.ferry.core.filter;
    exports io.ferry.core.schema;
    exports io.ferry.core.state;
    exports io.ferry.core.verify;
    // Implementation shared by ferry's own modules only: connections and SQL errors, value literals, keyset
    // pagination, task scopes.
    exports io.ferry.core.db to io.ferry.binlog, io.ferry.copy, io.ferry.verify, io.ferry.cli;
    exports io.ferry.core.sql to io.ferry.binlog, io.ferry.copy, io.ferry.verify, io.ferry.cli;
    exports io.ferry.core.keyset to io.ferry.copy, io.ferry.verify;
    exports io.ferry.core.concurrent to io.ferry.binlog, io.ferry.copy, io.ferry.verify;
    // The driver instantiates ferry's socket factory by its class name.
    exports io.ferry.core.db.tls to mysql.connector.j;

    // Gson reads and writes the config and state records reflectively.
    opens io.ferry.core.config to com.google.gson;
    opens io.ferry.core.state to com.google.gson;
}
