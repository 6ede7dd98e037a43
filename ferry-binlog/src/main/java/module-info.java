/**
 * Tails the source binlog and applies its changes to the target in source order. The binlog client library
 * stays inside {@code io.ferry.binlog.internal}; callers only see ferry's own event records.
 */
module io.ferry.binlog {
    requires transitive io.ferry.core;
    requires org.slf4j;
    requires mysql.binlog.connector.java;
    requires com.github.luben.zstd_jni; // MySQL's compressed binlog transactions
    requires net.sf.jsqlparser;

    exports io.ferry.binlog;
}
