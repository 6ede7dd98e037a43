package io.ferry.core.control;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A statement a server has not answered yet, as the status shows it while a server stalls.
 *
 * @param server    which server, e.g. {@code target ferry@db2:3306}, without the password
 * @param statement what was sent, cut before its first value so that no row data is shown
 * @param since     when it was sent
 * @param timed     whether the connection's read timeout applies; a schema change, a {@code CHECKSUM TABLE} or a
 *                  lock wait runs untimed, since it may legitimately take long
 */
public record ServerWait(String server, String statement, Instant since, boolean timed) {
    public ServerWait {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(since, "since");
    }

    public Duration age(Instant now) {
        return Duration.between(since, now);
    }
}
