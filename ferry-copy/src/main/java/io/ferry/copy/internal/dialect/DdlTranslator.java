package io.ferry.copy.internal.dialect;

import io.ferry.core.TableId;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.TableSchema;
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
 * {@link SchemaCompatibility}). The work is split by concern: {@link TableStatement} walks the statement's structure,
 * {@link ColumnTranslation} translates column definitions, {@link GenericClauses} character sets, collations and
 * executable comments; all of them edit one {@link DdlRewrite}.
 */
final class DdlTranslator {
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
        var ddl = new DdlRewrite(sql, database, Set.of(), Set.of(), source, target);
        new GenericClauses(ddl).generic(0, ddl.tokens.size(), database);
        return ddl.result();
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
        var ddl = new DdlRewrite(sql, table.toString(), keys, json, source, target);
        new TableStatement(ddl).statement();
        return ddl.result();
    }
}
