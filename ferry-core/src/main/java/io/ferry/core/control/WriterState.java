package io.ferry.core.control;

/**
 * What the binlog applier (Ghostferry's "binlog writer") is doing, with the names Ghostferry's {@code /api/health}
 * reports. Every change of state also refreshes the state's timestamp, and so does each idle poll while waiting:
 * a timestamp that stops moving means the applier is stuck (or paused with work pending).
 */
public enum WriterState {
    /** not started yet */
    INIT("Init"),
    /** idle: every streamed event is applied */
    WAITING_FOR_EVENTS("WaitingForEvents"),
    /** holds a batch of streamed events and prepares it (or waits at the replication pause) */
    PROCESSING_EVENTS("ProcessingEvents"),
    /** writing a batch to the target */
    APPLYING_EVENTS("ApplyingEvents"),
    /** a batch was committed on the target */
    APPLIED_EVENTS("AppliedEvents");

    private final String stateName;

    WriterState(String stateName) {
        this.stateName = stateName;
    }

    /** The name used in status JSON, e.g. {@code WaitingForEvents}. */
    public String stateName() {
        return stateName;
    }
}
