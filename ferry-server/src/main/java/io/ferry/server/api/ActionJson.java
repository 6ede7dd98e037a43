package io.ferry.server.api;

/** The answer to a JSON action request: what was done. */
public record ActionJson(String action, String message) {
}
