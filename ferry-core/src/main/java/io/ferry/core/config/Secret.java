package io.ferry.core.config;

/** A password. Its {@code toString} never shows the value, so it cannot leak through logs or status output. */
public record Secret(String value) {
    public static final Secret NONE = new Secret("");

    public Secret {
        value = value == null ? "" : value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "(none)" : "******";
    }
}
