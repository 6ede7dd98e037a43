package io.ferry.copy.internal.dialect;

import io.ferry.copy.internal.dialect.CollationMapping.Decision;
import io.ferry.copy.internal.dialect.CollationMapping.Mapped;
import io.ferry.copy.internal.dialect.CollationMapping.Same;
import io.ferry.copy.internal.dialect.CollationMapping.Unmapped;
import io.ferry.core.db.ServerFlavor;
import io.ferry.core.sql.SqlTokens.Kind;
import io.ferry.core.sql.SqlTokens.Token;
import java.util.Locale;

/**
 * What {@link DdlTranslator} translates anywhere in a statement, whatever it defines: character sets, collations
 * ({@link CollationMapping}) and executable comments one engine skips.
 */
final class GenericClauses {
    private final DdlRewrite ddl;

    GenericClauses(DdlRewrite ddl) {
        this.ddl = ddl;
    }

    /**
     * What applies anywhere: character sets, collations and executable comments in {@code [from, to)}, named
     * as {@code object}.
     */
    void generic(int from, int to, String object) {
        boolean column = !object.equals(ddl.objectBase);
        boolean key = column
                && ddl.keyColumns.contains(object.substring(ddl.objectBase.length() + 1).toLowerCase(Locale.ROOT));
        for (int i = from; i < to; i++) {
            Token t = ddl.at(i);
            if ((t.is("CHARACTER") && ddl.at(i + 1).is("SET")) || t.is("CHARSET")) {
                i = charset(i + (t.is("CHARSET") ? 1 : 2), object);
            } else if (t.is("COLLATE")) {
                int name = i + 1 + (ddl.at(i + 1).isSymbol('=') ? 1 : 0);
                collation(ddl.at(name), object, key);
                i = name;
            } else if (t.kind() == Kind.COMMENT_OPEN) {
                i = comment(i, object);
            }
        }
    }

    /** {@code CHARACTER SET [=] name} with the name at or after {@code i}; returns the name's index. */
    private int charset(int i, String object) {
        int at = i + (ddl.at(i).isSymbol('=') ? 1 : 0);
        Token name = ddl.at(at);
        if (ddl.isRemoved(name)) {
            return at;
        }
        String charset = name.lower();
        String spelled = charset.equals("utf8") ? "utf8mb3" : charset;
        if (!spelled.equals(charset)) {
            ddl.edit(name.start(), name.end(), "utf8mb3");
            ddl.map(object, "character set", name.name(), "utf8mb3", "the same character set, spelled as both "
                    + "engines spell it", false);
        }
        if (!ddl.target.collations().knowsCharset(spelled)) {
            ddl.refuse(object, "the character set " + name.name() + " is unknown to " + ddl.target.describe()
                    + ". Convert the column or table to a character set both know (e.g. utf8mb4) on the source");
            return at;
        }
        int next = at + 1;
        boolean collated = ddl.at(next).is("COLLATE") || (ddl.at(next).is("DEFAULT") && ddl.at(next + 1).is("COLLATE"));
        String sourceDefault = ddl.source.collations().defaultCollation().get(spelled);
        String targetDefault = ddl.target.collations().defaultCollation().get(spelled);
        if (!collated && sourceDefault != null && targetDefault != null) {
            Decision d = CollationMapping.decide(sourceDefault, ddl.source, ddl.target);
            String wanted = switch (d) {
                case Same s -> sourceDefault;
                case Mapped m -> m.to();
                case Unmapped u -> null;
            };
            if (wanted == null) {
                ddl.refuse(object, "the character set " + spelled + " defaults to " + sourceDefault + " on the source, "
                        + "which " + ddl.target.describe() + " does not have; " + ((Unmapped) d).reason()
                        + ". Name a collation both know on the source");
            } else if (!wanted.equalsIgnoreCase(targetDefault)) {
                ddl.edit(name.end(), name.end(), " COLLATE " + wanted);
                ddl.map(object, "collation", sourceDefault + " (default of " + spelled + ")", wanted,
                        "the target's default for " + spelled + " is " + targetDefault, false);
            }
        }
        return at;
    }

    private void collation(Token name, String object, boolean key) {
        if (ddl.isRemoved(name) || !name.isName() && name.kind() != Kind.STRING) {
            return;
        }
        switch (CollationMapping.decide(name.name(), ddl.source, ddl.target)) {
            case Same s -> {
            }
            case Mapped m -> {
                if (!m.to().equalsIgnoreCase(name.name())) {
                    ddl.edit(name.start(), name.end(), m.to());
                }
                String note = m.note();
                if (key && !m.exact()) {
                    note += "; a key column: ferry pages and copies by the source's order, but the target's "
                            + "order and uniqueness may differ for such values, so verify the copy";
                }
                ddl.map(object, "collation", name.name(), m.to(), note, key && !m.exact());
            }
            case Unmapped u -> ddl.refuse(object, "the collation " + name.name() + " is unknown to "
                    + ddl.target.describe() + " and has no equivalent there (" + u.reason() + "). Change it on the "
                    + "source to a collation both engines know (e.g. utf8mb4_unicode_520_ci or utf8mb4_bin)");
        }
    }

    /** An executable comment opened at {@code i}; returns the index of its close. */
    private int comment(int i, String object) {
        Token open = ddl.at(i);
        int close = i + 1;
        while (close < ddl.tokens.size() && ddl.at(close).kind() != Kind.COMMENT_CLOSE) {
            close++;
        }
        String body = ddl.sql.substring(open.end(), ddl.at(close).start()).strip();
        boolean mysql8 = open.version() >= 80000 && open.version() < 100000;
        boolean mariaOnly = open.version() < 0 || open.version() >= 100000;
        if (ddl.acrossEngines() && ddl.target.flavor() == ServerFlavor.MARIADB && mysql8) {
            // MariaDB skips MySQL 8's executable comments.
            if (ddl.at(i + 1).is("INVISIBLE") && close == i + 2) {
                ddl.edit(open.start(), ddl.at(close).end(), "INVISIBLE");
                ddl.map(object, "attribute", ddl.sql.substring(open.start(), ddl.at(close).end()), "INVISIBLE",
                        "MariaDB skips MySQL 8's versioned comments; INVISIBLE is written out", false);
            } else if (ddl.at(i + 1).is("SRID")) {
                ddl.edit(open.start(), ddl.at(close).end(), "");
                ddl.map(object, "attribute", body, "(none)", "MariaDB does not restrict a column to one SRID; the "
                        + "values keep theirs", false);
            } else if (!ddl.at(i + 1).is("DEFAULT") || !ddl.at(i + 2).is("ENCRYPTION")
                    || !ddl.at(i + 4).text().equals("'N'")) {
                ddl.map(object, "clause", body, "(none)", "MariaDB skips MySQL 8's versioned comments", true);
            }
        } else if (ddl.acrossEngines() && ddl.target.flavor() == ServerFlavor.MYSQL && mariaOnly) {
            ddl.map(object, "attribute", body, "(none)", "MySQL skips MariaDB's versioned comments", false);
            return close;
        }
        return i;
    }
}
