package io.ferry.server.internal;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps other web pages from driving a run through the visitor's browser. A browser attaches {@code Origin} (and
 * {@code Sec-Fetch-Site}) to every cross-site POST, including plain form posts and {@code text/plain} bodies that
 * need no CORS preflight: such requests are refused unless they come from the status page's own origin. Tools
 * (curl, scripts, probes) send neither header and are unaffected. The {@code Host} header is checked against the
 * bind address so that a DNS-rebound name cannot read the status either; a server bound to every interface accepts
 * any host name (protect it with a bearer token).
 */
final class RequestGuard {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    /** Host names accepted in {@code Host}; {@code null} accepts any. */
    private final Set<String> hosts;

    RequestGuard(String bindHost) {
        this.hosts = acceptedHosts(bindHost);
    }

    static Set<String> acceptedHosts(String bindHost) {
        String host = bindHost.toLowerCase(Locale.ROOT);
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return null;
        }
        var names = new java.util.HashSet<>(LOOPBACK_NAMES);
        names.add(host);
        names.add(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host);
        return Set.copyOf(names);
    }

    void check(Context ctx) {
        String host = hostName(ctx.header("Host"));
        if (hosts != null && (host == null || !hosts.contains(host) && !isLoopbackLiteral(host))) {
            throw new HttpError(421, "request for host " + ctx.header("Host") + " refused: this control server"
                    + " answers to " + String.join(", ", hosts.stream().sorted().toList())
                    + " (set ControlServerConfig.ServerBindAddr to serve another address)");
        }
        if (SAFE_METHODS.contains(ctx.method().name())) {
            return;
        }
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            throw crossSite(ctx, "Sec-Fetch-Site: " + site);
        }
        String origin = ctx.header("Origin");
        if (origin != null && !sameOrigin(origin, ctx.header("Host"))) {
            throw crossSite(ctx, "Origin: " + origin);
        }
    }

    private static HttpError crossSite(Context ctx, String evidence) {
        return new HttpError(403, ctx.method() + " " + ctx.path() + " from another web page refused (" + evidence
                + "); use the status page served here, or a client that is not a browser");
    }

    /** True when {@code origin} (scheme://host[:port]) names the host and port the request was sent to. */
    static boolean sameOrigin(String origin, String hostHeader) {
        if (hostHeader == null || origin.equals("null")) {
            return false;
        }
        try {
            URI o = URI.create(origin);
            if (o.getHost() == null || !"http".equalsIgnoreCase(o.getScheme()) && !"https".equalsIgnoreCase(o.getScheme())) {
                return false;
            }
            String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
            String expected = hostHeader.toLowerCase(Locale.ROOT);
            String given = authority.toLowerCase(Locale.ROOT);
            // A default port may be left out of either header.
            return given.equals(expected) || given.equals(withoutDefaultPort(expected, o.getScheme()))
                    || withoutDefaultPort(given, o.getScheme()).equals(expected);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String withoutDefaultPort(String authority, String scheme) {
        String port = "https".equalsIgnoreCase(scheme) ? ":443" : ":80";
        return authority.endsWith(port) ? authority.substring(0, authority.length() - port.length()) : authority;
    }

    /** The host part of a {@code Host} header, lower case, IPv6 literals in brackets; {@code null} if absent. */
    static String hostName(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return null;
        }
        String h = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.lastIndexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    /** 127.0.0.0/8 literals reach only this machine, so they cannot be a rebound name. */
    private static boolean isLoopbackLiteral(String host) {
        if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
