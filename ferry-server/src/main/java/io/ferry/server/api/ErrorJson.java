package io.ferry.server.api;

/** The body of every error response: the HTTP status and what went wrong, with the fix when there is one. */
public record ErrorJson(int status, String error) {
}
