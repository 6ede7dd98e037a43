package io.ferry.core.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the known key an unknown one was probably meant to be ("Sorce" -> "Source"). */
final class KeySuggestions {
    private KeySuggestions() {
    }

    /** The closest of {@code known} to {@code unknown}, when close enough to be a typo or a truncation. */
    static Optional<String> closest(String unknown, Collection<String> known) {
        String u = unknown.toLowerCase(Locale.ROOT);
        int allowed = Math.max(1, Math.min(3, u.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            String l = k.toLowerCase(Locale.ROOT);
            int d = distance(u, l);
            boolean affix = u.length() >= 4 && (l.startsWith(u) || u.startsWith(l));
            if ((d <= allowed || affix) && d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein edit distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
