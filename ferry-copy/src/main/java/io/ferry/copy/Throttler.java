package io.ferry.copy;

/**
 * Holds back one part of a run: the row copy (a migration throttler) or the binlog apply (a replication throttler),
 * as Ghostferry's {@code MigrationThrottler} and {@code ReplicationThrottler}. Work asks before each unit (a copy
 * batch, a binlog transaction) and waits while any throttler of its part says so; a unit already started always
 * finishes. The control server's pause is one such throttler; library users add their own with
 * {@link Ferry#addMigrationThrottler(Throttler)} and {@link Ferry#addReplicationThrottler(Throttler)}.
 *
 * <pre>{@code
 * ferry.addMigrationThrottler(() -> LocalTime.now().getHour() < 6); // copy only off-peak
 * }</pre>
 *
 * Implementations must be safe to call from many threads and should answer {@link #throttled()} quickly (no I/O):
 * measure in the background, as {@link LagThrottler} does.
 */
@FunctionalInterface
public interface Throttler {
    /** How often {@link #awaitUnthrottled()} asks again by default. */
    long POLL_MILLIS = 100;

    /** Whether the work must wait now. */
    boolean throttled();

    /** Returns once {@link #throttled()} is false; the default asks every {@value #POLL_MILLIS} ms. */
    default void awaitUnthrottled() throws InterruptedException {
        while (throttled()) {
            Thread.sleep(POLL_MILLIS);
        }
    }
}
