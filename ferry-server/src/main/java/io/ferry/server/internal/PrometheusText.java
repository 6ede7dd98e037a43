package io.ferry.server.internal;

import io.ferry.core.control.LatencyHistogram;
import io.ferry.core.control.RunPhase;
import io.ferry.core.control.RunStatus;
import io.ferry.core.control.TableStatus;
import java.time.Duration;
import java.util.Locale;

/** Renders a {@link RunStatus} in the Prometheus text exposition format (version 0.0.4); every name starts {@code ferry_}. */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(4096);

    private PrometheusText() {
    }

    static String render(RunStatus s) {
        var p = new PrometheusText();
        var r = s.replication();
        var c = s.counters();
        p.family("ferry_phase", "gauge", "1 for the phase the run is in (starting, copying, wait-for-cutover, cutover, done).");
        for (RunPhase phase : RunPhase.values()) {
            p.sample("ferry_phase", "{phase=\"" + phase.stateName() + "\"}", phase == s.phase() ? 1 : 0);
        }
        p.metric("ferry_run_seconds", "gauge", "Seconds since the run started.", s.timeTaken().toMillis() / 1000.0);
        p.metric("ferry_tables", "gauge", "Tables the run copies.", s.tables().size());
        p.metric("ferry_tables_completed", "gauge", "Tables whose row copy is complete.", s.completedTables());
        p.metric("ferry_rows_copied_total", "counter", "Rows written to the target by the row copy.", s.rowsCopied());
        p.family("ferry_table_rows_copied_total", "counter", "Rows written to the target by the row copy, per table.");
        for (TableStatus t : s.tables()) {
            p.sample("ferry_table_rows_copied_total", "{table=\"" + escape(t.table()) + "\"}", t.rowsWritten());
        }
        p.metric("ferry_copy_rows_per_second", "gauge", "Row copy speed over the last 30 seconds.", s.throughput().rowsPerSecond());
        Duration eta = s.throughput().eta();
        p.metric("ferry_copy_eta_seconds", "gauge", "Estimated seconds until the row copy is done; -1 while unknown.",
                eta == null ? -1 : eta.toMillis() / 1000.0);
        p.metric("ferry_copy_batches_total", "counter", "Row batches committed on the target.", c.batchesCopied());
        p.metric("ferry_copy_errors_total", "counter", "SQL errors met by the row copy, retried or not.", c.copyErrors());
        p.metric("ferry_copy_retries_total", "counter", "Row batches tried again after a retriable error.", c.copyRetries());
        p.histogram("ferry_copy_batch_duration_seconds", "Duration of a row batch: locked read, target write and commit.",
                c.batchLatency());
        if (c.cutoverWindow() != null) {
            p.metric("ferry_cutover_seconds", "gauge", "Seconds from the CutoverLock answer to the CutoverUnlock call.",
                    c.cutoverWindow().toMillis() / 1000.0);
        }
        p.metric("ferry_binlog_events_applied_total", "counter", "Binlog row changes applied to the target.", r.eventsApplied());
        p.metric("ferry_binlog_lag_seconds", "gauge", "Age of the newest streamed binlog event not yet applied; 0 when caught up.",
                r.lagSeconds());
        p.metric("ferry_binlog_writer_state_age_seconds", "gauge",
                "Seconds since the binlog applier last changed or refreshed its state (what /api/health checks).",
                Duration.between(r.writerStateAt(), s.at()).toMillis() / 1000.0);
        p.family("ferry_paused", "gauge", "1 while the row copy (migration) or the binlog apply (replication) is held back: paused or throttled.");
        p.sample("ferry_paused", "{scope=\"migration\"}", s.copyPaused() ? 1 : 0);
        p.sample("ferry_paused", "{scope=\"replication\"}", s.replicationPaused() ? 1 : 0);
        p.metric("ferry_automatic_cutover", "gauge", "1 when the run cuts over by itself once the copy is done.",
                s.automaticCutover() ? 1 : 0);
        return p.out.toString();
    }

    private void metric(String name, String type, String help, double value) {
        family(name, type, help);
        sample(name, "", value);
    }

    private void family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, String labels, double value) {
        out.append(name).append(labels).append(' ').append(number(value)).append('\n');
    }

    private void histogram(String name, String help, LatencyHistogram h) {
        family(name, "histogram", help);
        for (int i = 0; i < h.upperBounds().size(); i++) {
            sample(name + "_bucket", "{le=\"" + number(h.upperBounds().get(i)) + "\"}", h.cumulative().get(i));
        }
        sample(name + "_bucket", "{le=\"+Inf\"}", h.count());
        sample(name + "_sum", "", h.sumSeconds());
        sample(name + "_count", "", h.count());
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }

    /** Label values escape backslash, double quote and newline. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
