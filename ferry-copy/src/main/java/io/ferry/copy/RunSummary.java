package io.ferry.copy;

/**
 * What a completed run did and what it checked, for its closing line.
 *
 * @param tables       the tables the run copied and kept in sync
 * @param verification what compared the source and the target at cutover, in words: the verifier and its verdict, or
 *                     that nothing did
 * @param verified     true when a verifier compared every table at cutover and found no difference
 */
public record RunSummary(int tables, String verification, boolean verified) {
    /** The closing line of a run: {@code cutover complete: 3 table(s); <verification>}. */
    public String describe() {
        return "cutover complete: " + tables + " table(s); " + verification;
    }
}
