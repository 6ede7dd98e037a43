package io.ferry.core.control;

/** The phases of a run, in order, with the state names Ghostferry reports. */
public enum RunPhase {
    STARTING("starting"),
    COPYING("copying"),
    WAIT_FOR_CUTOVER("wait-for-cutover"),
    VERIFY_BEFORE_CUTOVER("verify-before-cutover"),
    CUTOVER("cutover"),
    DONE("done");

    private final String stateName;

    RunPhase(String stateName) {
        this.stateName = stateName;
    }

    /** The name used in status JSON, callbacks and logs, e.g. {@code wait-for-cutover}. */
    public String stateName() {
        return stateName;
    }
}
