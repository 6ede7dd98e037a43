package io.ferry.copy.internal.dialect;

import io.ferry.core.db.ServerFlavor;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which collation of the target stands for a collation of the source. Collations inherited from MySQL 5 by both
 * engines ({@code utf8mb4_general_ci}, {@code utf8mb4_unicode_ci}, {@code utf8mb4_unicode_520_ci}, {@code *_bin},
 * {@code latin1_swedish_ci}, ...) are the same on both and keep their name. The newer families differ:
 * <ul>
 *   <li>MySQL 8's {@code utf8mb4_[lang_]0900_*} (UCA 9.0.0, NO PAD) become MariaDB's
 *       {@code utf8mb4_uca1400_[language_]nopad_*} (UCA 14.0.0, NO PAD) with the same accent and case sensitivity,
 *       the collations MariaDB 11.4 itself names as their aliases; {@code utf8mb4_0900_bin} becomes
 *       {@code utf8mb4_nopad_bin} (both compare code points without padding; MariaDB 11.4's own alias of that name
 *       pads, so it is not used).</li>
 *   <li>MariaDB's {@code utf8mb4_uca1400_[language_][nopad_]*} become MySQL's {@code utf8mb4_[lang_]0900_*} with the
 *       same sensitivity (UCA 9.0.0; NO PAD also where the source pads: trailing spaces then count, which makes the
 *       target tell apart more values, never fewer); {@code utf8mb4_nopad_bin} becomes {@code utf8mb4_0900_bin}.</li>
 *   <li>{@code utf8_*} is spelled {@code utf8mb3_*}.</li>
 * </ul>
 * Everything else the target does not know has no equivalent and is refused: MariaDB's other {@code *_nopad_*}
 * collations (MySQL has no NO PAD form of them, and padding on the target would make a unique key reject values
 * the source tells apart), UCA 14.0.0 collations of other character sets, variants the other engine lacks
 * ({@code _ai_cs}, Japanese {@code _ks}, languages only one engine has).
 */
final class CollationMapping {
    /** MySQL's language codes in 0900 collation names and MariaDB's language names in uca1400 ones. */
    private static final Map<String, String> LANGUAGES = Map.ofEntries(
            Map.entry("cs", "czech"), Map.entry("da", "danish"), Map.entry("de_pb", "german2"),
            Map.entry("eo", "esperanto"), Map.entry("es", "spanish"), Map.entry("es_trad", "spanish2"),
            Map.entry("et", "estonian"), Map.entry("hr", "croatian"), Map.entry("hu", "hungarian"),
            Map.entry("is", "icelandic"), Map.entry("la", "roman"), Map.entry("lt", "lithuanian"),
            Map.entry("lv", "latvian"), Map.entry("pl", "polish"), Map.entry("ro", "romanian"),
            Map.entry("sk", "slovak"), Map.entry("sl", "slovenian"), Map.entry("sv", "swedish"),
            Map.entry("tr", "turkish"), Map.entry("vi", "vietnamese"));
    private static final Pattern MYSQL_0900 = Pattern.compile("^utf8mb4_(?:([a-z_]+?)_)?0900_(ai_ci|as_ci|as_cs|bin)$");
    private static final Pattern MARIADB_UCA1400 =
            Pattern.compile("^(\\w+?)_uca1400_(?:(?!nopad_)([a-z0-9]+)_)?(nopad_)?(a[is]_c[is])$");
    private static final String UCA_TO_14 = "UCA 14.0.0 instead of MySQL's 9.0.0: characters added to Unicode after 9.0"
            + " sort and compare by their own weights";
    private static final String UCA_TO_9 = "UCA 9.0.0 instead of MariaDB's 14.0.0: characters added to Unicode after"
            + " 9.0 sort and compare by code point";
    private static final String TO_NO_PAD = "NO PAD instead of PAD SPACE: trailing spaces count when comparing";

    /** The outcome for one collation. */
    sealed interface Decision permits Same, Mapped, Unmapped {
    }

    /** The target has the collation under this name, with the same behaviour. */
    record Same() implements Decision {
    }

    /**
     * The target's collation {@code to} (possibly the same name) stands for it.
     *
     * @param exact whether sorting and comparing are the same; else {@code note} says what differs
     */
    record Mapped(String to, boolean exact, String note) implements Decision {
    }

    /** No equivalent on the target; {@code reason} says why. */
    record Unmapped(String reason) implements Decision {
    }

    private CollationMapping() {
    }

    /**
     * @param collation a collation of a column, table or database on the source
     * @param source    the source's engine and collations
     * @param target    the target's engine and collations
     */
    static Decision decide(String collation, ServerDialect source, ServerDialect target) {
        String spelled = respelled(collation);
        String name = source.collations().resolved(spelled).toLowerCase(Locale.ROOT);
        boolean sourceAlias = !name.equalsIgnoreCase(spelled);
        if (source.flavor() == target.flavor()) {
            if (target.collations().knows(spelled)) {
                return spelled.equals(collation) ? new Same() : new Mapped(spelled, true, "the same collation, spelled "
                        + "as the target spells it");
            }
            return target.collations().knows(name)
                    ? new Mapped(name, true, "the source's " + collation + " is another name for it")
                    : new Unmapped(target.describe() + " does not know it");
        }
        Decision equivalent = source.flavor() == ServerFlavor.MYSQL ? fromMySql(name) : fromMariaDb(name);
        if (equivalent instanceof Mapped m) {
            if (!target.collations().knows(m.to())) {
                return new Unmapped(target.describe() + (m.to().equalsIgnoreCase(name) ? " does not have it"
                        : " has neither it nor its equivalent " + m.to()));
            }
            if (target.collations().knows(collation) && target.collations().resolved(collation).equalsIgnoreCase(m.to())) {
                // The target's alias of the same name is that very collation (MariaDB 11.4's utf8mb4_0900_ai_ci).
                return m.exact() ? new Same() : new Mapped(collation, false, m.note());
            }
            String note = m.note();
            if (target.collations().knows(collation)) {
                note = "the target's own " + collation + " is " + target.collations().resolved(collation)
                        + ", which behaves differently; " + note;
            } else if (sourceAlias) {
                note = "the source's " + collation + " is " + name + "; " + note;
            }
            return new Mapped(m.to(), m.exact(), note);
        }
        return equivalent;
    }

    /** {@code utf8_*} is MySQL's old spelling of {@code utf8mb3_*}; both engines accept the new one. */
    private static String respelled(String collation) {
        String lower = collation.toLowerCase(Locale.ROOT);
        return lower.startsWith("utf8_") ? "utf8mb3_" + lower.substring(5) : collation;
    }

    private static boolean inherited(String name) {
        return !name.contains("0900") && !name.contains("uca1400") && !name.contains("nopad");
    }

    /** A MySQL collation's MariaDB equivalent. */
    static Decision fromMySql(String name) {
        if (inherited(name)) {
            return new Mapped(name, true, "");
        }
        Matcher m = MYSQL_0900.matcher(name);
        if (!m.matches()) {
            return new Unmapped("MariaDB has no equivalent of MySQL's " + name);
        }
        String lang = m.group(1);
        String variant = m.group(2);
        if (variant.equals("bin")) {
            return lang == null ? new Mapped("utf8mb4_nopad_bin", true, "both compare code points without padding")
                    : new Unmapped("MariaDB has no equivalent of MySQL's " + name);
        }
        String language = lang == null ? "" : LANGUAGES.get(lang);
        if (language == null) {
            return new Unmapped("MariaDB has no UCA collation for MySQL's language code '" + lang + "'");
        }
        return new Mapped("utf8mb4_uca1400_" + (language.isEmpty() ? "" : language + "_") + "nopad_" + variant, false,
                UCA_TO_14);
    }

    /** A MariaDB collation's MySQL equivalent. */
    static Decision fromMariaDb(String name) {
        if (inherited(name)) {
            return new Mapped(name, true, "");
        }
        if (name.equals("utf8mb4_nopad_bin")) {
            return new Mapped("utf8mb4_0900_bin", true, "both compare code points without padding");
        }
        Matcher m = MARIADB_UCA1400.matcher(name);
        if (!m.matches()) {
            return new Unmapped("MySQL has no equivalent of MariaDB's " + name
                    + (name.contains("nopad") ? " (no NO PAD form of it; with padding, a unique key on the target "
                    + "would reject values the source tells apart)" : ""));
        }
        if (!m.group(1).equals("utf8mb4")) {
            return new Unmapped("MySQL has UCA 9.0.0 collations only for utf8mb4, not for " + m.group(1));
        }
        String language = m.group(2);
        String code = "";
        if (language != null) {
            code = LANGUAGES.entrySet().stream().filter(e -> e.getValue().equals(language)).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
            if (code == null) {
                return new Unmapped("MySQL has no UCA collation for the language " + language);
            }
        }
        String variant = m.group(4);
        boolean available = language == null ? !variant.equals("ai_cs") : variant.equals("ai_ci") || variant.equals("as_cs");
        if (!available) {
            return new Unmapped("MySQL has no " + variant + " variant of this collation");
        }
        String note = m.group(3) == null ? UCA_TO_9 + "; " + TO_NO_PAD : UCA_TO_9;
        return new Mapped("utf8mb4_" + (code.isEmpty() ? "" : code + "_") + "0900_" + variant, false, note);
    }
}
