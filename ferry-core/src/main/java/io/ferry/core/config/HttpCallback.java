package io.ferry.core.config;

import java.net.URI;
import java.util.Objects;

/**
 * An HTTP POST ferry makes at a point of the run (Ghostferry's {@code HTTPCallback}), e.g. {@code CutoverLock}.
 *
 * @param uri     an {@code http} or {@code https} address
 * @param payload sent as the request's {@code Payload}; may be empty
 */
public record HttpCallback(URI uri, String payload) {
    public HttpCallback {
        Objects.requireNonNull(uri, "uri");
        payload = payload == null ? "" : payload;
    }

    /** The address with any user-info masked, so credentials in the URI never reach a log. */
    public String describe() {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        return uri.getScheme() + "://******@" + uri.getRawAuthority().substring(uri.getRawAuthority().indexOf('@') + 1)
                + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    @Override
    public String toString() {
        return "HttpCallback[uri=" + describe() + ", payload=" + (payload.isEmpty() ? "(none)" : "(" + payload.length() + " chars)") + "]";
    }
}
