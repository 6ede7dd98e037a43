package io.ferry.copy.internal.dialect;

import io.ferry.core.db.ServerFlavor;
import io.ferry.core.sql.SqlTokens.Kind;
import io.ferry.core.sql.SqlTokens.Token;
import java.util.List;
import java.util.Set;

/**
 * The structure of the statement {@link DdlTranslator} translates: CREATE TABLE's definitions and table options,
 * ALTER TABLE's specifications, CREATE INDEX; each part goes to what translates it ({@link ColumnTranslation},
 * {@link GenericClauses}), CHECK constraints, indexes and table options are translated here.
 */
final class TableStatement {
    private static final Set<String> MARIADB_STORAGE_OPTIONS = Set.of("page_checksum", "transactional", "page_compressed",
            "page_compression_level", "encrypted", "encryption_key_id", "ietf_quotes", "sequence");
    private static final Set<String> DEFINITION_KEYWORDS = Set.of("primary", "key", "index", "unique", "constraint",
            "foreign", "fulltext", "spatial", "check", "period");

    /** The text that removes a definition from its statement, with the comma that separates it. */
    private record Span(int start, int end) {
    }

    private final DdlRewrite ddl;
    private final GenericClauses clauses;
    private final ColumnTranslation columns;

    TableStatement(DdlRewrite ddl) {
        this.ddl = ddl;
        this.clauses = new GenericClauses(ddl);
        this.columns = new ColumnTranslation(ddl, clauses);
    }

    void statement() {
        int n = ddl.tokens.size();
        if (n >= 2 && ddl.at(0).is("CREATE")
                && (ddl.at(1).is("TABLE") || (ddl.at(1).is("TEMPORARY") && ddl.at(2).is("TABLE")))) {
            int open = -1;
            for (int i = 2; i < n; i++) {
                if (ddl.at(i).isSymbol('(')) {
                    open = i;
                    break;
                }
                if (ddl.at(i).is("LIKE") || ddl.at(i).is("SELECT")) {
                    break;
                }
            }
            if (open < 0) {
                clauses.generic(0, n, ddl.objectBase);
                return;
            }
            int close = ddl.closing(open) - 1;
            clauses.generic(0, open, ddl.objectBase);
            for (int[] def : ddl.split(open + 1, close)) {
                int start = def[0] > open + 1 ? ddl.at(def[0] - 1).start() : ddl.at(def[0]).start();
                definition(def[0], def[1], new Span(start, ddl.at(def[1] - 1).end()));
            }
            tableOptions(close + 1, n);
        } else if (n >= 2 && ddl.at(0).is("ALTER") && (ddl.at(1).is("TABLE") || ddl.at(2).is("TABLE"))) {
            int i = ddl.at(1).is("TABLE") ? 2 : 3;
            i = skipTableName(i);
            List<int[]> specs = ddl.split(i, n);
            for (int s = 0; s < specs.size(); s++) {
                int[] spec = specs.get(s);
                // Dropping a specification takes the comma before it, or after it when it comes first.
                Span span = s > 0 ? new Span(ddl.at(spec[0] - 1).start(), ddl.at(spec[1] - 1).end())
                        : new Span(ddl.at(spec[0]).start(),
                                s + 1 < specs.size() ? ddl.at(spec[1]).end() : ddl.at(spec[1] - 1).end());
                alterSpecification(spec[0], spec[1], span);
            }
        } else if (ddl.at(0).is("CREATE") && indexStatement()) {
            for (int i = 1; i < n; i++) {
                if (ddl.at(i).is("ON")) {
                    int open = skipTableName(i + 1);
                    index(open, n, indexName(1));
                    return;
                }
            }
            clauses.generic(0, n, ddl.objectBase);
        } else {
            clauses.generic(0, n, ddl.objectBase);
        }
    }

    private boolean indexStatement() {
        for (int i = 1; i <= 2 && i < ddl.tokens.size(); i++) {
            if (ddl.at(i).is("INDEX")) {
                return true;
            }
        }
        return false;
    }

    private String indexName(int from) {
        for (int i = from; i < ddl.tokens.size(); i++) {
            if (ddl.at(i).is("INDEX") || ddl.at(i).is("KEY")) {
                return ddl.at(i + 1).isName() && !ddl.at(i + 1).is("ON") ? ddl.at(i + 1).name() : "";
            }
        }
        return "";
    }

    /** Past {@code name} or {@code db.name} starting at {@code i}. */
    private int skipTableName(int i) {
        int j = i;
        if (ddl.at(j).is("IF")) {
            j += ddl.at(j + 1).is("NOT") ? 3 : 2;
        }
        j++;
        while (ddl.at(j).isSymbol('.')) {
            j += 2;
        }
        return j;
    }

    private void alterSpecification(int from, int to, Span span) {
        Token first = ddl.at(from);
        if (first.is("ADD")) {
            int i = from + 1;
            if (ddl.at(i).is("COLUMN")) {
                i++;
            }
            if (ddl.at(i).isSymbol('(')) {
                int close = ddl.closing(i) - 1;
                for (int[] def : ddl.split(i + 1, close)) {
                    columns.column(def[0], def[1]);
                }
                return;
            }
            if (ddl.at(i).is("IF")) {
                i += 3;
            }
            definition(i, to, span);
        } else if (first.is("MODIFY") || first.is("CHANGE")) {
            int i = from + 1;
            if (ddl.at(i).is("COLUMN")) {
                i++;
            }
            if (ddl.at(i).is("IF")) {
                i += 2;
            }
            if (first.is("CHANGE")) {
                i++;
            }
            columns.column(i, to);
        } else if (first.is("ALTER") && !ddl.at(from + 1).is("INDEX") && !ddl.at(from + 1).is("CHECK")
                && !ddl.at(from + 1).is("CONSTRAINT")) {
            int i = from + 1 + (ddl.at(from + 1).is("COLUMN") ? 1 : 0);
            String column = ddl.at(i).name();
            for (int j = i + 1; j < to; j++) {
                if (ddl.at(j).is("DEFAULT")) {
                    columns.defaultValue(j, to, column, null);
                }
            }
            clauses.generic(from, to, ddl.objectOf(column));
        } else {
            tableOptions(from, to);
        }
    }

    /** A definition inside CREATE TABLE's parentheses, or after ALTER TABLE ... ADD. */
    private void definition(int from, int to, Span span) {
        Token first = ddl.at(from);
        if (first.kind() == Kind.WORD && DEFINITION_KEYWORDS.contains(first.lower())) {
            String word = first.lower();
            int i = from;
            if (word.equals("constraint")) {
                i = ddl.at(from + 1).is("CHECK") || ddl.at(from + 1).is("PRIMARY") || ddl.at(from + 1).is("UNIQUE")
                        || ddl.at(from + 1).is("FOREIGN") ? from + 1 : from + 2;
                word = ddl.at(i).lower();
            }
            switch (word) {
                case "check" -> check(from, to, span);
                case "period" -> ddl.refuse(ddl.objectBase, "PERIOD FOR (application-time periods) is MariaDB's own; "
                        + "MySQL has no such tables. Leave the table out");
                case "foreign" -> clauses.generic(from, to, ddl.objectBase);
                default -> index(i, to, indexName(i));
            }
            return;
        }
        columns.column(from, to);
    }

    /** A CHECK constraint; one the source does not enforce is dropped for MariaDB, which would enforce it. */
    private void check(int from, int to, Span span) {
        for (int i = from; i < to; i++) {
            Token t = ddl.at(i);
            int not = t.kind() == Kind.COMMENT_OPEN ? i + 1 : i;
            if (ddl.at(not).is("NOT") && ddl.at(not + 1).is("ENFORCED") && ddl.target.flavor() == ServerFlavor.MARIADB
                    && ddl.acrossEngines()) {
                ddl.edit(span.start(), span.end(), "");
                ddl.map(ddl.objectBase, "constraint", ddl.sql.substring(ddl.at(from).start(), ddl.at(to - 1).end()),
                        "(none)",
                        "MariaDB has no unenforced CHECK constraints and would reject rows that violate it, which "
                                + "the source may hold", true);
                return;
            }
        }
        clauses.generic(from, to, ddl.objectBase);
    }

    /** An index definition whose first token is at {@code from} (PRIMARY, UNIQUE, KEY, INDEX, ...). */
    private void index(int from, int to, String name) {
        int open = -1;
        for (int i = from; i < to; i++) {
            if (ddl.at(i).isSymbol('(')) {
                open = i;
                break;
            }
        }
        if (open >= 0) {
            int close = ddl.closing(open) - 1;
            for (int[] part : ddl.split(open + 1, close)) {
                Token first = ddl.at(part[0]);
                if (first.isSymbol('(') && ddl.target.flavor() == ServerFlavor.MARIADB) {
                    ddl.refuse(ddl.objectBase + (name.isEmpty() ? "" : " index " + name), "the index part "
                            + ddl.sql.substring(first.start(), ddl.at(part[1] - 1).end()) + " is an expression; MariaDB "
                            + "has no functional index parts. Drop the index on the source (or index a generated "
                            + "column there instead), or leave the table out");
                } else if (first.isName() && ddl.jsonColumns.contains(first.lower()) && ddl.acrossEngines()
                        && ddl.target.flavor() == ServerFlavor.MYSQL) {
                    ddl.refuse(ddl.objectOf(first.name()), "the JSON column is in the index " + name + ", and MySQL "
                            + "cannot index a JSON column. Drop the index on the source or leave the table out");
                }
            }
        }
        clauses.generic(from, to, ddl.objectBase);
    }

    private void tableOptions(int from, int to) {
        for (int i = from; i < to; i++) {
            Token t = ddl.at(i);
            if (t.is("ENGINE")) {
                Token engine = ddl.at(i + (ddl.at(i + 1).isSymbol('=') ? 2 : 1));
                if (!ddl.target.engines().contains(engine.lower())) {
                    ddl.refuse(ddl.objectBase, "the storage engine " + engine.name() + " is not available on "
                            + ddl.target.describe() + ". Convert the table on the source (ALTER TABLE ... ENGINE="
                            + "InnoDB) or leave it out");
                }
            } else if (t.isName() && MARIADB_STORAGE_OPTIONS.contains(t.lower()) && ddl.at(i + 1).isSymbol('=')
                    && ddl.target.flavor() == ServerFlavor.MYSQL && ddl.acrossEngines()) {
                Token value = ddl.at(i + 2);
                ddl.edit(t.start(), value.end(), "");
                ddl.map(ddl.objectBase, "option", ddl.sql.substring(t.start(), value.end()), "(none)", "a MariaDB storage "
                        + "option MySQL does not have; the rows are the same", false);
            } else if (t.is("WITH") && ddl.at(i + 1).is("SYSTEM") && ddl.at(i + 2).is("VERSIONING")
                    && ddl.target.flavor() == ServerFlavor.MYSQL) {
                ddl.refuse(ddl.objectBase, "WITH SYSTEM VERSIONING (history rows) is MariaDB's own; MySQL has no such "
                        + "tables. Leave the table out");
            }
        }
        clauses.generic(from, to, ddl.objectBase);
    }
}
