package io.ferry.core.config;

import com.google.gson.JsonElement;
import io.ferry.core.ConfigException;
import java.util.ArrayList;
import java.util.List;

/** Collects every configuration problem, each as {@code Key.Path = value: problem; fix}, and throws them at once. */
final class Problems {
    private static final int MAX_VALUE_CHARS = 80;

    private final List<String> problems = new ArrayList<>();

    /** {@code path = value: problem}. */
    void add(String path, JsonElement value, String problem) {
        problems.add(path + " = " + render(value) + ": " + problem);
    }

    /** {@code path: problem}, for problems about a key rather than its value, or when the value is secret. */
    void add(String path, String problem) {
        problems.add(path + ": " + problem);
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** The value as JSON (strings quoted), shortened when long. */
    static String render(JsonElement value) {
        String json = value.toString();
        return json.length() <= MAX_VALUE_CHARS ? json : json.substring(0, MAX_VALUE_CHARS) + "...";
    }

    /** {@code a string}, {@code a number}, ...: the JSON type of {@code value}, for "must be X, not Y" messages. */
    static String typeOf(JsonElement value) {
        if (value.isJsonObject()) {
            return "an object";
        }
        if (value.isJsonArray()) {
            return "an array";
        }
        if (value.isJsonNull()) {
            return "null";
        }
        var p = value.getAsJsonPrimitive();
        return p.isBoolean() ? "a boolean" : p.isNumber() ? "a number" : "a string";
    }
}
