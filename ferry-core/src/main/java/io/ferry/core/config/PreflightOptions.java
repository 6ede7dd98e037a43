package io.ferry.core.config;

/**
 * Ghostferry's switches for two preflight refusals.
 *
 * @param allowSuperUserOnReadOnly      {@code AllowSuperUserOnReadOnly}: accept a read-only target ({@code read_only=ON})
 *                                      when ferry's target user may write through it (SUPER, CONNECTION_ADMIN or
 *                                      READ_ONLY ADMIN; {@code super_read_only} off), e.g. to keep the application off
 *                                      the target until cutover
 * @param skipForeignKeyConstraintsCheck {@code SkipForeignKeyConstraintsCheck}: copy tables whose foreign keys
 *                                      reference tables the run does not copy (refused otherwise: on the target such a
 *                                      key points at rows that are not there, and the parent's cascades never reach it)
 */
public record PreflightOptions(boolean allowSuperUserOnReadOnly, boolean skipForeignKeyConstraintsCheck) {
    public static final PreflightOptions DEFAULT = new PreflightOptions(Defaults.ALLOW_SUPER_USER_ON_READ_ONLY,
            Defaults.SKIP_FOREIGN_KEY_CONSTRAINTS_CHECK);
}
