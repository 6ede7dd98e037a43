package io.ferry.core.state;

import java.util.Objects;

/**
 * Which server a state was saved from: the configured address plus what the server says about itself, so a
 * resume against another server is refused even when it is reached under the same address.
 *
 * @param address  {@code host:port} as configured
 * @param hostname {@code @@hostname}
 * @param port     {@code @@port}
 * @param serverId {@code @@server_id}
 */
public record SourceIdentity(String address, String hostname, long port, long serverId) {
    public SourceIdentity {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(hostname, "hostname");
    }

    /** Same server: hostname, port and server id agree (the configured address may be spelled differently). */
    public boolean sameServerAs(SourceIdentity o) {
        return hostname.equals(o.hostname) && port == o.port && serverId == o.serverId;
    }

    @Override
    public String toString() {
        return address + " (hostname " + hostname + ", port " + port + ", server_id " + serverId + ")";
    }
}
