package io.ferry.copy.internal.dialect;

import io.ferry.copy.internal.dialect.CollationMapping.Decision;
import io.ferry.copy.internal.dialect.CollationMapping.Mapped;
import io.ferry.copy.internal.dialect.CollationMapping.Same;
import io.ferry.copy.internal.dialect.CollationMapping.Unmapped;
import io.ferry.core.TableId;
import io.ferry.core.db.ServerFlavor;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.SqlTokens;
import io.ferry.core.sql.SqlTokens.Kind;
import io.ferry.core.sql.SqlTokens.Token;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Rewrites the source's DDL (its {@code SHOW CREATE} output, or a schema change replicated from the binlog) so the
 * target engine creates the same schema, and says what it changed and what it cannot translate. Only the tokens
 * that need it change; everything else reaches the target as the source wrote it. Same engine, same version
 * family: nothing but collations the target lacks. Across engines (README, "Compatibility"):
 * <ul>
 *   <li>both ways: collations ({@link CollationMapping}); {@code utf8} spelled {@code utf8mb3}; a character set
 *       given without a collation gets the source's default collation for it when the target's default differs
 *       (MySQL's utf8mb4 default is {@code utf8mb4_0900_ai_ci}, MariaDB's {@code utf8mb4_general_ci}); character
 *       sets and storage engines the target lacks are refused;</li>
 *   <li>MySQL to MariaDB: {@code INVISIBLE} out of its {@code /*!80023} comment (MariaDB skips MySQL 8 comments);
 *       {@code SRID n} dropped (MariaDB does not restrict a column to one SRID); {@code geomcollection} spelled
 *       {@code geometrycollection}; a CHECK constraint that is {@code NOT ENFORCED} dropped (MariaDB would enforce
 *       it, and rows the source holds may violate it); functional index parts refused;</li>
 *   <li>MariaDB to MySQL: its JSON alias ({@code LONGTEXT ... CHECK (json_valid(col))}) becomes MySQL's
 *       {@code JSON}; expression defaults get the parentheses MySQL requires, and so do literal defaults of TEXT,
 *       BLOB, JSON and spatial columns; storage options MySQL lacks ({@code PAGE_COMPRESSED}, {@code PAGE_CHECKSUM},
 *       {@code TRANSACTIONAL}, {@code ENCRYPTED}, ...) dropped; {@code /*M!} comments are skipped by MySQL and
 *       reported; {@code UUID}, {@code INET4}, {@code INET6} and system-versioned tables refused.</li>
 * </ul>
 * Whatever else the target cannot parse is found by preparing the translated statement on it (see
 * {@link SchemaCompatibility}).
 */
final class DdlTranslator {
    private static final Set<String> DEFAULT_FUNCTIONS_WITHOUT_PARENTHESES =
            Set.of("current_timestamp", "now", "localtime", "localtimestamp");
    private static final Set<String> BLOB_LIKE = Set.of("tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob",
            "mediumblob", "longblob", "json", "geometry", "point", "linestring", "polygon", "multipoint",
            "multilinestring", "multipolygon", "geometrycollection", "geomcollection");
    private static final Set<String> MARIADB_STORAGE_OPTIONS = Set.of("page_checksum", "transactional", "page_compressed",
            "page_compression_level", "encrypted", "encryption_key_id", "ietf_quotes", "sequence");
    private static final Set<String> MARIADB_ONLY_TYPES = Set.of("uuid", "inet4", "inet6");
    private static final Set<String> DEFINITION_KEYWORDS = Set.of("primary", "key", "index", "unique", "constraint",
            "foreign", "fulltext", "spatial", "check", "period");

    /**
     * A translated statement.
     *
     * @param refusals what cannot be translated, each {@code object: problem; fix}; when not empty {@code sql} must
     *                 not be run
     */
    record Translation(String sql, List<SchemaMapping> mappings, List<String> refusals) {
        Translation {
            mappings = List.copyOf(mappings);
            refusals = List.copyOf(refusals);
        }
    }

    private final ServerDialect source;
    private final ServerDialect target;

    DdlTranslator(ServerDialect source, ServerDialect target) {
        this.source = source;
        this.target = target;
    }

    boolean acrossEngines() {
        return source.flavor() != target.flavor();
    }

    /** {@code SHOW CREATE DATABASE} output of source database {@code database}. */
    Translation database(String sql, String database) {
        var run = new Run(sql, database, Set.of(), Set.of());
        run.generic(0, run.tokens.size(), database);
        return run.result();
    }

    /**
     * {@code SHOW CREATE TABLE} output, or a replicated CREATE/ALTER TABLE or CREATE INDEX, of source table
     * {@code table}, whose schema (for key columns and MariaDB JSON columns) is {@code schema}, or null if unknown.
     */
    Translation table(String sql, TableId table, TableSchema schema) {
        Set<String> keys = new HashSet<>();
        Set<String> json = new HashSet<>();
        if (schema != null) {
            schema.primaryKey().forEach(k -> keys.add(k.toLowerCase(Locale.ROOT)));
            schema.uniqueKeys().forEach(u -> u.forEach(k -> keys.add(k.toLowerCase(Locale.ROOT))));
            for (ColumnSchema c : schema.columns()) {
                // MariaDB's JSON alias (see SchemaLoader); MySQL's own JSON columns say "json" in COLUMN_TYPE too.
                if (c.dataType().equals("json") && !c.columnType().equalsIgnoreCase("json")) {
                    json.add(c.name().toLowerCase(Locale.ROOT));
                }
            }
        }
        var run = new Run(sql, table.toString(), keys, json);
        run.statement();
        return run.result();
    }

    private record Edit(int start, int end, String replacement) {
    }

    /** The text that removes a definition from its statement, with the comma that separates it. */
    private record Span(int start, int end) {
    }

    /** One translation: the tokens, the edits so far, and what was mapped or refused. */
    private final class Run {
        private final String sql;
        private final List<Token> tokens;
        private final String objectBase;
        private final Set<String> keyColumns;
        private final Set<String> jsonColumns;
        private final List<Edit> edits = new ArrayList<>();
        private final List<SchemaMapping> mappings = new ArrayList<>();
        private final List<String> refusals = new ArrayList<>();

        Run(String sql, String objectBase, Set<String> keyColumns, Set<String> jsonColumns) {
            this.sql = sql;
            this.tokens = SqlTokens.withCommentMarkers(sql);
            this.objectBase = objectBase;
            this.keyColumns = keyColumns;
            this.jsonColumns = jsonColumns;
        }

        Translation result() {
            List<Edit> sorted = new ArrayList<>(edits);
            sorted.sort(Comparator.comparingInt(Edit::start).thenComparing(e -> -e.end()));
            var out = new StringBuilder(sql.length() + 32);
            int at = 0;
            for (Edit e : sorted) {
                if (e.start() < at) {
                    continue; // inside a larger edit (a dropped definition)
                }
                int start = e.start();
                if (e.replacement().isEmpty() && start > at && sql.charAt(start - 1) == ' ') {
                    start--; // a dropped clause takes the space before it along
                }
                out.append(sql, at, start).append(e.replacement());
                at = e.end();
            }
            out.append(sql.substring(at));
            return new Translation(out.toString(), mappings, refusals);
        }

        private Token at(int i) {
            return i < tokens.size() ? tokens.get(i) : new Token(Kind.SYMBOL, sql.length(), sql.length(), ";", 0);
        }

        /** The index just past the bracket matching the {@code (} at {@code open}. */
        private int closing(int open) {
            int depth = 0;
            for (int i = open; i < tokens.size(); i++) {
                if (tokens.get(i).isSymbol('(')) {
                    depth++;
                } else if (tokens.get(i).isSymbol(')') && --depth == 0) {
                    return i + 1;
                }
            }
            return tokens.size();
        }

        /** The ranges between top-level commas of {@code [from, to)}. */
        private List<int[]> split(int from, int to) {
            List<int[]> out = new ArrayList<>();
            int depth = 0;
            int start = from;
            for (int i = from; i < to; i++) {
                Token t = tokens.get(i);
                if (t.isSymbol('(')) {
                    depth++;
                } else if (t.isSymbol(')')) {
                    depth--;
                } else if (t.isSymbol(',') && depth == 0) {
                    out.add(new int[] {start, i});
                    start = i + 1;
                }
            }
            if (start < to) {
                out.add(new int[] {start, to});
            }
            return out;
        }

        void statement() {
            int n = tokens.size();
            if (n >= 2 && at(0).is("CREATE") && (at(1).is("TABLE") || (at(1).is("TEMPORARY") && at(2).is("TABLE")))) {
                int open = -1;
                for (int i = 2; i < n; i++) {
                    if (at(i).isSymbol('(')) {
                        open = i;
                        break;
                    }
                    if (at(i).is("LIKE") || at(i).is("SELECT")) {
                        break;
                    }
                }
                if (open < 0) {
                    generic(0, n, objectBase);
                    return;
                }
                int close = closing(open) - 1;
                generic(0, open, objectBase);
                for (int[] def : split(open + 1, close)) {
                    int start = def[0] > open + 1 ? at(def[0] - 1).start() : at(def[0]).start();
                    definition(def[0], def[1], new Span(start, at(def[1] - 1).end()));
                }
                tableOptions(close + 1, n);
            } else if (n >= 2 && at(0).is("ALTER") && (at(1).is("TABLE") || at(2).is("TABLE"))) {
                int i = at(1).is("TABLE") ? 2 : 3;
                i = skipTableName(i);
                List<int[]> specs = split(i, n);
                for (int s = 0; s < specs.size(); s++) {
                    int[] spec = specs.get(s);
                    // Dropping a specification takes the comma before it, or after it when it comes first.
                    Span span = s > 0 ? new Span(at(spec[0] - 1).start(), at(spec[1] - 1).end())
                            : new Span(at(spec[0]).start(), s + 1 < specs.size() ? at(spec[1]).end() : at(spec[1] - 1).end());
                    alterSpecification(spec[0], spec[1], span);
                }
            } else if (at(0).is("CREATE") && indexStatement()) {
                for (int i = 1; i < n; i++) {
                    if (at(i).is("ON")) {
                        int open = skipTableName(i + 1);
                        index(open, n, indexName(1));
                        return;
                    }
                }
                generic(0, n, objectBase);
            } else {
                generic(0, n, objectBase);
            }
        }

        private boolean indexStatement() {
            for (int i = 1; i <= 2 && i < tokens.size(); i++) {
                if (at(i).is("INDEX")) {
                    return true;
                }
            }
            return false;
        }

        private String indexName(int from) {
            for (int i = from; i < tokens.size(); i++) {
                if (at(i).is("INDEX") || at(i).is("KEY")) {
                    return at(i + 1).isName() && !at(i + 1).is("ON") ? at(i + 1).name() : "";
                }
            }
            return "";
        }

        /** Past {@code name} or {@code db.name} starting at {@code i}. */
        private int skipTableName(int i) {
            int j = i;
            if (at(j).is("IF")) {
                j += at(j + 1).is("NOT") ? 3 : 2;
            }
            j++;
            while (at(j).isSymbol('.')) {
                j += 2;
            }
            return j;
        }

        private void alterSpecification(int from, int to, Span span) {
            Token first = at(from);
            if (first.is("ADD")) {
                int i = from + 1;
                if (at(i).is("COLUMN")) {
                    i++;
                }
                if (at(i).isSymbol('(')) {
                    int close = closing(i) - 1;
                    for (int[] def : split(i + 1, close)) {
                        column(def[0], def[1]);
                    }
                    return;
                }
                if (at(i).is("IF")) {
                    i += 3;
                }
                definition(i, to, span);
            } else if (first.is("MODIFY") || first.is("CHANGE")) {
                int i = from + 1;
                if (at(i).is("COLUMN")) {
                    i++;
                }
                if (at(i).is("IF")) {
                    i += 2;
                }
                if (first.is("CHANGE")) {
                    i++;
                }
                column(i, to);
            } else if (first.is("ALTER") && !at(from + 1).is("INDEX") && !at(from + 1).is("CHECK")
                    && !at(from + 1).is("CONSTRAINT")) {
                int i = from + 1 + (at(from + 1).is("COLUMN") ? 1 : 0);
                String column = at(i).name();
                for (int j = i + 1; j < to; j++) {
                    if (at(j).is("DEFAULT")) {
                        defaultValue(j, to, column, null);
                    }
                }
                generic(from, to, objectOf(column));
            } else {
                tableOptions(from, to);
            }
        }

        /** A definition inside CREATE TABLE's parentheses, or after ALTER TABLE ... ADD. */
        private void definition(int from, int to, Span span) {
            Token first = at(from);
            if (first.kind() == Kind.WORD && DEFINITION_KEYWORDS.contains(first.lower())) {
                String word = first.lower();
                int i = from;
                if (word.equals("constraint")) {
                    i = at(from + 1).is("CHECK") || at(from + 1).is("PRIMARY") || at(from + 1).is("UNIQUE")
                            || at(from + 1).is("FOREIGN") ? from + 1 : from + 2;
                    word = at(i).lower();
                }
                switch (word) {
                    case "check" -> check(from, to, span);
                    case "period" -> refuse(objectBase, "PERIOD FOR (application-time periods) is MariaDB's own; "
                            + "MySQL has no such tables. Leave the table out");
                    case "foreign" -> generic(from, to, objectBase);
                    default -> index(i, to, indexName(i));
                }
                return;
            }
            column(from, to);
        }

        private String objectOf(String column) {
            return objectBase + "." + column;
        }

        private void column(int from, int to) {
            String name = at(from).name();
            String object = objectOf(name);
            Token type = at(from + 1);
            String typeName = type.lower();
            boolean json = jsonColumns.contains(name.toLowerCase(Locale.ROOT)) && typeName.equals("longtext")
                    && target.flavor() == ServerFlavor.MYSQL && acrossEngines();
            if (acrossEngines()) {
                if (target.flavor() == ServerFlavor.MYSQL && MARIADB_ONLY_TYPES.contains(typeName)) {
                    refuse(object, "MySQL has no " + typeName.toUpperCase(Locale.ROOT) + " type. Convert the column"
                            + " on the source (e.g. to " + textFormOf(typeName) + ") or leave the table out");
                } else if (target.flavor() == ServerFlavor.MYSQL && typeName.equals("time") && from + 3 < to && at(from + 2).isSymbol('(')
                        && !at(from + 3).text().equals("0")) {
                    String spelled = "time(" + at(from + 3).text() + ")";
                    map(object, "type", spelled, spelled, "MySQL's TIME ends at 838:59:59, MariaDB's fractions go on"
                            + " to 838:59:59.999999 (and as far below zero): a value beyond MySQL's range stops the run,"
                            + " naming it, where MySQL would clip it", true);
                } else if (target.flavor() == ServerFlavor.MARIADB && Set.of("float", "double", "real").contains(typeName)) {
                    map(object, "value", "-0 (negative zero)", "0", "MariaDB stores every zero of a FLOAT or DOUBLE"
                            + " column as +0; -0 = 0 in every comparison, so keys, order and verification agree", false);
                } else if (target.flavor() == ServerFlavor.MARIADB && typeName.equals("geomcollection")) {
                    edits.add(new Edit(type.start(), type.end(), "geometrycollection"));
                    map(object, "type", type.text(), "geometrycollection", "MariaDB's spelling", false);
                }
            }
            if (json) {
                jsonAlias(from, to, type, object);
            }
            for (int i = from + 2; i < to; i++) {
                Token t = at(i);
                if (t.kind() == Kind.COMMENT_OPEN) {
                    while (i < to && at(i).kind() != Kind.COMMENT_CLOSE) {
                        i++; // the body of an executable comment is generic()'s
                    }
                } else if (t.is("DEFAULT") && acrossEngines() && target.flavor() == ServerFlavor.MYSQL) {
                    defaultValue(i, to, name, json ? "json" : typeName);
                } else if (t.is("SRID") && at(i + 1).kind() == Kind.NUMBER && target.flavor() == ServerFlavor.MARIADB
                        && acrossEngines()) {
                    edits.add(new Edit(t.start(), at(i + 1).end(), ""));
                    map(object, "attribute", "SRID " + at(i + 1).text(), "(none)", "MariaDB does not restrict a column"
                            + " to one SRID; the values keep theirs", false);
                }
            }
            generic(from + 1, to, object);
        }

        private static String textFormOf(String type) {
            return switch (type) {
                case "uuid" -> "CHAR(36) or BINARY(16)";
                case "inet4" -> "VARCHAR(15) or INT UNSIGNED";
                default -> "VARCHAR(39) or BINARY(16)";
            };
        }

        /** MariaDB's {@code longtext [CHARACTER SET x] [COLLATE y] ... CHECK (json_valid(`c`))} as MySQL's {@code json}. */
        private void jsonAlias(int from, int to, Token type, String object) {
            edits.add(new Edit(type.start(), type.end(), "json"));
            for (int i = from + 2; i < to; i++) {
                Token t = at(i);
                if ((t.is("CHARACTER") && at(i + 1).is("SET")) || t.is("CHARSET")) {
                    int name = i + (t.is("CHARSET") ? 1 : 2);
                    name += at(name).isSymbol('=') ? 1 : 0;
                    edits.add(new Edit(t.start(), at(name).end(), ""));
                } else if (t.is("COLLATE")) {
                    int name = i + 1 + (at(i + 1).isSymbol('=') ? 1 : 0);
                    edits.add(new Edit(t.start(), at(name).end(), ""));
                } else if (t.is("CHECK") && at(i + 1).isSymbol('(') && at(i + 2).is("json_valid")) {
                    edits.add(new Edit(t.start(), at(closing(i + 1) - 1).end(), ""));
                }
            }
            map(object, "type", "longtext CHECK (json_valid)", "json", "MariaDB's JSON is that alias; MySQL's JSON "
                    + "type holds the same documents, validated, and prints them normalised (key order, spacing, "
                    + "numbers), which ferry's verifiers compare as JSON", false);
        }

        /** {@code DEFAULT ...} at {@code at} of {@code column} (of {@code type}, null when unknown) for MySQL. */
        private void defaultValue(int at, int to, String column, String type) {
            Token v = at(at + 1);
            String object = objectOf(column);
            if (v.kind() == Kind.WORD && at(at + 2).isSymbol('(')
                    && !DEFAULT_FUNCTIONS_WITHOUT_PARENTHESES.contains(v.lower())) {
                int end = closing(at + 2) - 1;
                wrap(v, at(end));
                map(object, "default", sql.substring(v.start(), at(end).end()), "(" + sql.substring(v.start(),
                        at(end).end()) + ")", "MySQL requires an expression default in parentheses", false);
                return;
            }
            if (type == null || !BLOB_LIKE.contains(type)) {
                return;
            }
            int last = at + 1;
            if (v.isSymbol('-') || (v.kind() == Kind.WORD && (v.text().startsWith("_") || v.lower().equals("b")
                    || v.lower().equals("x")) && at(at + 2).kind() == Kind.STRING)) {
                last = at + 2;
            }
            Token end = at(last);
            if (end.kind() == Kind.STRING || end.kind() == Kind.NUMBER) {
                wrap(v, end);
                String literal = sql.substring(v.start(), end.end());
                map(object, "default", literal, "(" + literal + ")", "MySQL allows a " + type.toUpperCase(Locale.ROOT)
                        + " column only an expression default", false);
            }
        }

        private void wrap(Token first, Token last) {
            edits.add(new Edit(first.start(), first.start(), "("));
            edits.add(new Edit(last.end(), last.end(), ")"));
        }

        /** A CHECK constraint; one the source does not enforce is dropped for MariaDB, which would enforce it. */
        private void check(int from, int to, Span span) {
            for (int i = from; i < to; i++) {
                Token t = at(i);
                int not = t.kind() == Kind.COMMENT_OPEN ? i + 1 : i;
                if (at(not).is("NOT") && at(not + 1).is("ENFORCED") && target.flavor() == ServerFlavor.MARIADB
                        && acrossEngines()) {
                    edits.add(new Edit(span.start(), span.end(), ""));
                    map(objectBase, "constraint", sql.substring(at(from).start(), at(to - 1).end()), "(none)",
                            "MariaDB has no unenforced CHECK constraints and would reject rows that violate it, which "
                                    + "the source may hold", true);
                    return;
                }
            }
            generic(from, to, objectBase);
        }

        /** An index definition whose first token is at {@code from} (PRIMARY, UNIQUE, KEY, INDEX, ...). */
        private void index(int from, int to, String name) {
            int open = -1;
            for (int i = from; i < to; i++) {
                if (at(i).isSymbol('(')) {
                    open = i;
                    break;
                }
            }
            if (open >= 0) {
                int close = closing(open) - 1;
                for (int[] part : split(open + 1, close)) {
                    Token first = at(part[0]);
                    if (first.isSymbol('(') && target.flavor() == ServerFlavor.MARIADB) {
                        refuse(objectBase + (name.isEmpty() ? "" : " index " + name), "the index part "
                                + sql.substring(first.start(), at(part[1] - 1).end()) + " is an expression; MariaDB "
                                + "has no functional index parts. Drop the index on the source (or index a generated "
                                + "column there instead), or leave the table out");
                    } else if (first.isName() && jsonColumns.contains(first.lower()) && acrossEngines()
                            && target.flavor() == ServerFlavor.MYSQL) {
                        refuse(objectOf(first.name()), "the JSON column is in the index " + name + ", and MySQL "
                                + "cannot index a JSON column. Drop the index on the source or leave the table out");
                    }
                }
            }
            generic(from, to, objectBase);
        }

        private void tableOptions(int from, int to) {
            for (int i = from; i < to; i++) {
                Token t = at(i);
                if (t.is("ENGINE")) {
                    Token engine = at(i + (at(i + 1).isSymbol('=') ? 2 : 1));
                    if (!target.engines().contains(engine.lower())) {
                        refuse(objectBase, "the storage engine " + engine.name() + " is not available on "
                                + target.describe() + ". Convert the table on the source (ALTER TABLE ... ENGINE="
                                + "InnoDB) or leave it out");
                    }
                } else if (t.isName() && MARIADB_STORAGE_OPTIONS.contains(t.lower()) && at(i + 1).isSymbol('=')
                        && target.flavor() == ServerFlavor.MYSQL && acrossEngines()) {
                    Token value = at(i + 2);
                    edits.add(new Edit(t.start(), value.end(), ""));
                    map(objectBase, "option", sql.substring(t.start(), value.end()), "(none)", "a MariaDB storage "
                            + "option MySQL does not have; the rows are the same", false);
                } else if (t.is("WITH") && at(i + 1).is("SYSTEM") && at(i + 2).is("VERSIONING")
                        && target.flavor() == ServerFlavor.MYSQL) {
                    refuse(objectBase, "WITH SYSTEM VERSIONING (history rows) is MariaDB's own; MySQL has no such "
                            + "tables. Leave the table out");
                }
            }
            generic(from, to, objectBase);
        }

        /**
         * What applies anywhere: character sets, collations and executable comments in {@code [from, to)}, named
         * as {@code object}.
         */
        void generic(int from, int to, String object) {
            boolean column = !object.equals(objectBase);
            boolean key = column && keyColumns.contains(object.substring(objectBase.length() + 1).toLowerCase(Locale.ROOT));
            for (int i = from; i < to; i++) {
                Token t = at(i);
                if ((t.is("CHARACTER") && at(i + 1).is("SET")) || t.is("CHARSET")) {
                    i = charset(i + (t.is("CHARSET") ? 1 : 2), object);
                } else if (t.is("COLLATE")) {
                    int name = i + 1 + (at(i + 1).isSymbol('=') ? 1 : 0);
                    collation(at(name), object, key);
                    i = name;
                } else if (t.kind() == Kind.COMMENT_OPEN) {
                    i = comment(i, object);
                }
            }
        }

        /** {@code CHARACTER SET [=] name} with the name at or after {@code i}; returns the name's index. */
        private int charset(int i, String object) {
            int at = i + (at(i).isSymbol('=') ? 1 : 0);
            Token name = at(at);
            if (isRemoved(name)) {
                return at;
            }
            String charset = name.lower();
            String spelled = charset.equals("utf8") ? "utf8mb3" : charset;
            if (!spelled.equals(charset)) {
                edits.add(new Edit(name.start(), name.end(), "utf8mb3"));
                map(object, "character set", name.name(), "utf8mb3", "the same character set, spelled as both "
                        + "engines spell it", false);
            }
            if (!target.collations().knowsCharset(spelled)) {
                refuse(object, "the character set " + name.name() + " is unknown to " + target.describe()
                        + ". Convert the column or table to a character set both know (e.g. utf8mb4) on the source");
                return at;
            }
            int next = at + 1;
            boolean collated = at(next).is("COLLATE") || (at(next).is("DEFAULT") && at(next + 1).is("COLLATE"));
            String sourceDefault = source.collations().defaultCollation().get(spelled);
            String targetDefault = target.collations().defaultCollation().get(spelled);
            if (!collated && sourceDefault != null && targetDefault != null) {
                Decision d = CollationMapping.decide(sourceDefault, source, target);
                String wanted = switch (d) {
                    case Same s -> sourceDefault;
                    case Mapped m -> m.to();
                    case Unmapped u -> null;
                };
                if (wanted == null) {
                    refuse(object, "the character set " + spelled + " defaults to " + sourceDefault + " on the source, "
                            + "which " + target.describe() + " does not have; " + ((Unmapped) d).reason()
                            + ". Name a collation both know on the source");
                } else if (!wanted.equalsIgnoreCase(targetDefault)) {
                    edits.add(new Edit(name.end(), name.end(), " COLLATE " + wanted));
                    map(object, "collation", sourceDefault + " (default of " + spelled + ")", wanted,
                            "the target's default for " + spelled + " is " + targetDefault, false);
                }
            }
            return at;
        }

        private void collation(Token name, String object, boolean key) {
            if (isRemoved(name) || !name.isName() && name.kind() != Kind.STRING) {
                return;
            }
            switch (CollationMapping.decide(name.name(), source, target)) {
                case Same s -> {
                }
                case Mapped m -> {
                    if (!m.to().equalsIgnoreCase(name.name())) {
                        edits.add(new Edit(name.start(), name.end(), m.to()));
                    }
                    String note = m.note();
                    if (key && !m.exact()) {
                        note += "; a key column: ferry pages and copies by the source's order, but the target's "
                                + "order and uniqueness may differ for such values, so verify the copy";
                    }
                    map(object, "collation", name.name(), m.to(), note, key && !m.exact());
                }
                case Unmapped u -> refuse(object, "the collation " + name.name() + " is unknown to "
                        + target.describe() + " and has no equivalent there (" + u.reason() + "). Change it on the "
                        + "source to a collation both engines know (e.g. utf8mb4_unicode_520_ci or utf8mb4_bin)");
            }
        }

        /** An executable comment opened at {@code i}; returns the index of its close. */
        private int comment(int i, String object) {
            Token open = at(i);
            int close = i + 1;
            while (close < tokens.size() && at(close).kind() != Kind.COMMENT_CLOSE) {
                close++;
            }
            String body = sql.substring(open.end(), at(close).start()).strip();
            boolean mysql8 = open.version() >= 80000 && open.version() < 100000;
            boolean mariaOnly = open.version() < 0 || open.version() >= 100000;
            if (acrossEngines() && target.flavor() == ServerFlavor.MARIADB && mysql8) {
                // MariaDB skips MySQL 8's executable comments.
                if (at(i + 1).is("INVISIBLE") && close == i + 2) {
                    edits.add(new Edit(open.start(), at(close).end(), "INVISIBLE"));
                    map(object, "attribute", sql.substring(open.start(), at(close).end()), "INVISIBLE",
                            "MariaDB skips MySQL 8's versioned comments; INVISIBLE is written out", false);
                } else if (at(i + 1).is("SRID")) {
                    edits.add(new Edit(open.start(), at(close).end(), ""));
                    map(object, "attribute", body, "(none)", "MariaDB does not restrict a column to one SRID; the "
                            + "values keep theirs", false);
                } else if (!at(i + 1).is("DEFAULT") || !at(i + 2).is("ENCRYPTION") || !at(i + 4).text().equals("'N'")) {
                    map(object, "clause", body, "(none)", "MariaDB skips MySQL 8's versioned comments", true);
                }
            } else if (acrossEngines() && target.flavor() == ServerFlavor.MYSQL && mariaOnly) {
                map(object, "attribute", body, "(none)", "MySQL skips MariaDB's versioned comments", false);
                return close;
            }
            return i;
        }

        /** Whether the token lies inside a text another edit removes (the JSON alias's own character set). */
        private boolean isRemoved(Token t) {
            for (Edit e : edits) {
                if (e.replacement().isEmpty() && t.start() >= e.start() && t.end() <= e.end()) {
                    return true;
                }
            }
            return false;
        }

        private void map(String object, String what, String from, String to, String note, boolean warning) {
            mappings.add(new SchemaMapping(object, what, from, to, note, warning));
        }

        private void refuse(String object, String problem) {
            refusals.add(object + ": " + problem);
        }
    }
}
