package io.ferry.binlog;

/** Receives binlog events in source order on the streaming thread; it may block to slow the stream down. */
@FunctionalInterface
public interface EventSink {
    void accept(BinlogEvent event) throws InterruptedException;
}
