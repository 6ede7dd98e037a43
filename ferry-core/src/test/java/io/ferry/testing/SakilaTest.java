package io.ferry.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class SakilaTest {
    @Test
    void splitsOnTheCurrentDelimiterOutsideQuotes() {
        String script = """
                -- a comment
                INSERT INTO t VALUES ('a;b', "c;", `d;`), ('it\\'s;');
                DELIMITER ;;
                CREATE TRIGGER x AFTER INSERT ON t FOR EACH ROW BEGIN
                  INSERT INTO u VALUES (1);
                END;;
                DELIMITER ;
                SELECT 1; SELECT 2;
                """;
        assertEquals(List.of("INSERT INTO t VALUES ('a;b', \"c;\", `d;`), ('it\\'s;')",
                "CREATE TRIGGER x AFTER INSERT ON t FOR EACH ROW BEGIN\n  INSERT INTO u VALUES (1);\nEND",
                "SELECT 1", "SELECT 2"), Sakila.statements(script));
    }

    @Test
    void theDatasetSplitsIntoItsStatements() throws Exception {
        var dir = Sakila.datasetDirectory();
        List<String> schema = Sakila.statements(Files.readString(dir.resolve("sakila-schema.sql")));
        assertEquals(16, schema.stream().filter(s -> s.startsWith("CREATE TABLE")).count());
        assertTrue(schema.stream().anyMatch(s -> s.startsWith("CREATE TRIGGER `ins_film`") && s.endsWith("END")));
        List<String> data = Sakila.statements(Files.readString(dir.resolve("sakila-data.sql")));
        assertTrue(data.stream().anyMatch(s -> s.startsWith("INSERT INTO rental VALUES")), "rental rows");
    }
}
