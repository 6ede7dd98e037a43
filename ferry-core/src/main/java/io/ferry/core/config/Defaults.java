package io.ferry.core.config;

import java.time.Duration;

/**
 * The one place where configuration defaults live. A key that is absent or {@code null} in the config file takes
 * the value here; an explicit value (zero included) is never replaced by a default.
 */
public final class Defaults {
    public static final int PORT = 3306;
    public static final String NET = "tcp";
    public static final String MARGINALIA = "application:ferry";

    public static final int DATA_ITERATION_BATCH_SIZE = 1000;
    public static final int DATA_ITERATION_CONCURRENCY = 4;
    /** 0: split a table into up to {@link #MAX_AUTOMATIC_RANGES} ranges by its estimated rows. */
    public static final int DATA_ITERATION_RANGE_CONCURRENCY = 0;
    public static final int MAX_AUTOMATIC_RANGES = 4;
    /** Automatic ranges hold at least this many batches each, so small tables stay one range. */
    public static final int MIN_BATCHES_PER_RANGE = 20;
    public static final int BINLOG_EVENT_BATCH_SIZE = 100;
    /** Target connections applying binlog row changes concurrently (by writeset). */
    public static final int BINLOG_APPLY_CONCURRENCY = 4;
    public static final int DB_READ_RETRIES = 60;
    public static final int DB_WRITE_RETRIES = 5;
    /** 0: pick a random server id that no replica of the source uses. */
    public static final long MY_SERVER_ID = 0;
    public static final boolean AUTOMATIC_CUTOVER = false;
    public static final int MAX_CUTOVER_RETRIES = 1;
    public static final Duration CUTOVER_RETRY_WAIT = Duration.ofSeconds(1);
    /**
     * How long the cutover of a partitioned move waits for a worker that never registered or fell silent (its
     * orchestrator restarts it) before the waiting workers fail.
     */
    public static final Duration PARTITION_WORKER_TIMEOUT = Duration.ofMinutes(10);
    public static final boolean SKIP_BINLOG_ROW_IMAGE_CHECK = false;
    public static final boolean ALLOW_EXISTING_TARGET_TABLE = false;
    /** ferry shard: the target shard usually holds other tenants' rows in the same tables already. */
    public static final boolean SHARD_ALLOW_EXISTING_TARGET_TABLE = true;
    /**
     * Without VerifierType a run is verified inline (Ghostferry's default is none): a copy that is never compared can
     * report success over a silent difference.
     */
    public static final VerificationConfig.Type VERIFIER_TYPE = VerificationConfig.Type.INLINE;
    /** ferry shard: ghostferry-sharding verifies a tenant move with its Iterative verifier. */
    public static final VerificationConfig.Type SHARD_VERIFIER_TYPE = VerificationConfig.Type.ITERATIVE;
    public static final LockStrategy LOCK_STRATEGY = LockStrategy.LOCK_ON_SOURCE_DB;
    public static final boolean ITERATE_IN_DESCENDING_ORDER = false;
    public static final boolean ALLOW_REPLICATION_FROM_REPLICA = false;
    public static final boolean DISABLE_CUTOVER = false;
    public static final boolean ALLOW_SUPER_USER_ON_READ_ONLY = false;
    public static final boolean SKIP_FOREIGN_KEY_CONSTRAINTS_CHECK = false;
    public static final boolean REPLICATE_SCHEMA_CHANGES = false;
    public static final boolean SKIP_UNPARSEABLE_SCHEMA_CHANGES = false;
    public static final boolean DELAY_DATA_ITERATION_UNTIL_BINLOG_WRITER_SHUTDOWN = false;
    /** The fork's default: a failed table does not stop the others; its error is reported after all were tried. */
    public static final boolean FAIL_ON_FIRST_TABLE_COPY_ERROR = false;
    /** The control server listens on loopback only unless told otherwise (Ghostferry: every interface). */
    public static final String CONTROL_SERVER_HOST = "127.0.0.1";
    public static final int CONTROL_SERVER_PORT = 8000;
    /** Ghostferry leaves it to the config; ferry posts progress twice a second unless told otherwise. */
    public static final Duration PROGRESS_REPORT_FREQUENCY = Duration.ofMillis(500);
    public static final Duration LAG_THROTTLER_UPDATE_INTERVAL = Duration.ofSeconds(1);
    /** How often the state is written to StateFilename, StateCallback and the target's state tables. */
    public static final Duration STATE_REPORT_FREQUENCY = Duration.ofSeconds(1);

    private Defaults() {
    }
}
