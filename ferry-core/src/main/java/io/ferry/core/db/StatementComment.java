package io.ferry.core.db;

import java.util.List;
import java.util.Objects;

/**
 * The comment ferry puts before every statement it sends ({@code Marginalia}), so that a DBA sees ferry's
 * statements for what they are in the processlist, the slow log and the binlog (MariaDB's annotate events, MySQL's
 * rows-query events), and the target verifier can tell ferry's writes from anyone else's. The form is
 * <code>/*&lt;Marginalia&gt;*&#47;</code> followed by a space; Ghostferry writes the same. A run adds {@code ,run:<id>} to the
 * marginalia (Rails marginalia's {@code key:value} pairs), e.g. <code>/*application:ferry,run:3f9a0c12*&#47;</code>.
 *
 * <p>A multi-statement packet needs the comment before each statement: the server logs each statement of it as
 * its own query, without the comment before the first ({@link #join}).
 *
 * @param marginalia the text inside the comment; never contains <code>*&#47;</code>
 */
public record StatementComment(String marginalia) {
    public StatementComment {
        Objects.requireNonNull(marginalia, "marginalia");
        if (marginalia.contains("*/")) {
            throw new IllegalArgumentException("marginalia must not contain */: " + marginalia);
        }
    }

    /** The comment and the space that follows it. */
    public String text() {
        return "/*" + marginalia + "*/ ";
    }

    /** No comment: what {@link #of} gives for a connection that is not ferry's. */
    public static final StatementComment NONE = new StatementComment("");

    /** The comment every statement of {@code c} gets, when {@code c} comes from {@link DataSources}; else {@link #NONE}. */
    public static StatementComment of(java.sql.Connection c) throws java.sql.SQLException {
        return c.isWrapperFor(StatementComment.class) ? c.unwrap(StatementComment.class) : NONE;
    }

    /** {@code sql} with the comment before it, unless it starts with it already. */
    public String mark(String sql) {
        return marginalia.isEmpty() || sql.startsWith(text()) ? sql : text() + sql;
    }

    /** {@code statements} as one multi-statement packet, each statement marked; the first one too. */
    public String join(List<String> statements) {
        var sb = new StringBuilder();
        for (String s : statements) {
            sb.append(sb.isEmpty() ? "" : ";\n").append(mark(s));
        }
        return sb.toString();
    }

    /**
     * Whether {@code loggedQuery} (as the binlog recorded it) was sent with the marginalia {@code marginalia} by any
     * run: it starts with <code>/*&lt;marginalia&gt;*&#47;</code> or <code>/*&lt;marginalia&gt;,</code>.
     */
    public static boolean marks(String marginalia, String loggedQuery) {
        String q = loggedQuery.stripLeading();
        String open = "/*" + marginalia;
        return q.startsWith(open) && (q.startsWith("*/", open.length()) || q.startsWith(",", open.length()));
    }
}
