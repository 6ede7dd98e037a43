/**
 * The Ferry: creates the target schema, copies rows in key-ordered batches while the binlog is applied,
 * and cuts over. Library users depend on this module and run a {@link io.ferry.copy.Ferry}.
 */
module io.ferry.copy {
    requires transitive io.ferry.core;
    requires io.ferry.binlog; // internal: no binlog type is part of ferry-copy's API
    requires org.slf4j;
    requires com.google.gson;
    requires java.net.http;

    exports io.ferry.copy;
    exports io.ferry.copy.shard;
}
