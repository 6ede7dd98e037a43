/** Verifiers that prove the target matches the source: ChecksumTable, Iterative and Inline. */
module io.ferry.verify {
    requires transitive io.ferry.core;
    requires io.ferry.binlog;
    requires org.slf4j;

    // exports io.ferry.verify; (the verifiers land with their issue)
}
