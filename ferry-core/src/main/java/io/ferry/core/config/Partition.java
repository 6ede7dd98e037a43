package io.ferry.core.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which part of a move one worker copies ({@code Partition} in the config, {@code --partition I/N} on the command
 * line): part {@code index} (0-based, as Kubernetes' {@code JOB_COMPLETION_INDEX}) of {@code count} balanced parts
 * of the selected tables. {@link #WHOLE} is a run that copies everything.
 */
public record Partition(int index, int count) {
    /** The most parts a move can be split into. */
    public static final int MAX_COUNT = 256;
    public static final Partition WHOLE = new Partition(0, 1);
    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{1,9})\\s*");
    private static final String RULE = "must be I/N with N from 1 to " + MAX_COUNT + " parts and I from 0 to N-1,"
            + " e.g. 0/3 for the first of three parts";

    public Partition {
        if (count < 1 || count > MAX_COUNT || index < 0 || index >= count) {
            throw new IllegalArgumentException(index + "/" + count + ": " + RULE);
        }
    }

    /** {@code "I/N"} read as a partition, or {@code null} with {@link #problem} saying why not. */
    public static Partition parse(String text) {
        if (problem(text) != null) {
            return null;
        }
        Matcher m = FORM.matcher(text);
        m.matches();
        return new Partition(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** Why {@code text} is not a partition, or {@code null} when it is one. */
    public static String problem(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) {
            return RULE;
        }
        long index = Long.parseLong(m.group(1));
        long count = Long.parseLong(m.group(2));
        if (count < 1 || count > MAX_COUNT) {
            return "has " + count + " parts; " + RULE;
        }
        if (index >= count) {
            return "part " + index + " does not exist among " + count + " parts (they are numbered from 0); " + RULE;
        }
        return null;
    }

    public boolean isWhole() {
        return count == 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
