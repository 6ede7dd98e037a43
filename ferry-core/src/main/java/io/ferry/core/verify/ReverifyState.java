package io.ferry.core.verify;

import java.util.List;
import java.util.Map;

/**
 * The part of a verifier a resumed run needs: the keys of rows still to be verified again (its reverify store),
 * as a plain value saved with the run's state ({@code BinlogVerifyStore}) and restored on resume. {@link #NONE}
 * for verifiers without such a store.
 */
public interface ReverifyState {
    /** No store: nothing saved, nothing restored. */
    ReverifyState NONE = new ReverifyState() {
        @Override
        public Map<String, List<String>> snapshot() {
            return Map.of();
        }

        @Override
        public void restore(Map<String, List<String>> snapshot) {
        }
    };

    /** The waiting keys: {@code db.table} (source names) to keys in the verifier's own text form. */
    Map<String, List<String>> snapshot();

    /** Adds every key of a {@link #snapshot} taken by the interrupted run. */
    void restore(Map<String, List<String>> snapshot);
}
