/**
 * Verifiers that prove the target matches the source: ChecksumTable, Iterative and Inline, for every key shape
 * ferry copies, plus the standalone comparison behind {@code ferry verify}.
 */
module io.ferry.verify {
    requires transitive io.ferry.core;
    requires org.slf4j;
    requires snappy.java; // SNAPPY-compressed columns are compared decompressed

    exports io.ferry.verify;
}
