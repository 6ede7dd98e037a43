package io.ferry.core.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.sql.SqlTokens.Kind;
import io.ferry.core.sql.SqlTokens.Token;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlTokensTest {
    private static List<String> texts(List<Token> tokens) {
        return tokens.stream().map(Token::text).toList();
    }

    private static List<Kind> kinds(List<Token> tokens) {
        return tokens.stream().map(Token::kind).toList();
    }

    @Test
    void tokensKeepTheirPlaceInTheText() {
        String sql = "ALTER TABLE `d`.`t``x` ADD c INT DEFAULT 'it''s'";
        List<Token> tokens = SqlTokens.of(sql);
        assertEquals(List.of("ALTER", "TABLE", "`d`", ".", "`t``x`", "ADD", "c", "INT", "DEFAULT", "'it''s'"), texts(tokens));
        assertEquals(List.of(Kind.WORD, Kind.WORD, Kind.QUOTED, Kind.SYMBOL, Kind.QUOTED, Kind.WORD, Kind.WORD, Kind.WORD,
                Kind.WORD, Kind.STRING), kinds(tokens));
        for (Token t : tokens) {
            assertEquals(t.text(), sql.substring(t.start(), t.end()));
        }
    }

    @Test
    void namesLoseTheirQuotesAndWordsCompareWithoutCase() {
        List<Token> tokens = SqlTokens.of("`T``x` 'A\\'b' \"Dq\" Word 12");
        assertEquals("T`x", tokens.get(0).name());
        assertEquals("t`x", tokens.get(0).lower());
        assertEquals("`T``X`", tokens.get(0).upper()); // the text as written, for keywords
        assertEquals("A\\'b", tokens.get(1).name()); // quotes removed, escapes left as written
        assertEquals("Dq", tokens.get(2).name());
        assertTrue(tokens.get(3).is("word"));
        assertFalse(tokens.get(0).is("t`x")); // a quoted name is never a keyword
        assertTrue(tokens.get(0).isName() && tokens.get(3).isName());
        assertFalse(tokens.get(1).isName() || tokens.get(4).isName());
    }

    @Test
    void commentsAreSkippedAndExecutableCommentsAreCode() {
        String sql = "CREATE /*!32302 TEMPORARY */ TABLE # a note\n t -- another\n /* plain */ (/*M!100301 c INT */)";
        assertEquals(List.of("CREATE", "TEMPORARY", "TABLE", "t", "(", "c", "INT", ")"), texts(SqlTokens.of(sql)));
    }

    @Test
    void commentMarkersCarryTheVersionNegativeForMariaDb() {
        List<Token> tokens = SqlTokens.withCommentMarkers("c INT /*!80023 INVISIBLE */ /*M!100301 COMPRESSED */ /*! X */");
        assertEquals(List.of("c", "INT", "/*!80023", "INVISIBLE", "*/", "/*M!100301", "COMPRESSED", "*/", "/*!", "X", "*/"),
                texts(tokens));
        assertEquals(Kind.COMMENT_OPEN, tokens.get(2).kind());
        assertEquals(80023, tokens.get(2).version());
        assertEquals(Kind.COMMENT_CLOSE, tokens.get(4).kind());
        assertEquals(-100301, tokens.get(5).version());
        assertEquals(0, tokens.get(8).version());
    }

    @Test
    void aStrayCommentEndIsSymbolsOnlyWhereMarkersAreKept() {
        assertEquals(List.of("a", "*", "/", "b"), texts(SqlTokens.withCommentMarkers("a */ b")));
        assertEquals(List.of("a", "b"), texts(SqlTokens.of("a */ b")));
    }

    @Test
    void digitsBeginANameOnlyWhereMySqlReadsOne() {
        List<Token> tokens = SqlTokens.of("1a 0x1F 0b01 1e5 1E+3 1ea 2.5 _x $y");
        assertEquals(List.of("1a", "0x1F", "0b01", "1e5", "1E", "+", "3", "1ea", "2.5", "_x", "$y"), texts(tokens));
        assertEquals(List.of(Kind.WORD, Kind.NUMBER, Kind.NUMBER, Kind.NUMBER, Kind.NUMBER, Kind.SYMBOL, Kind.NUMBER,
                Kind.WORD, Kind.NUMBER, Kind.WORD, Kind.WORD), kinds(tokens));
    }

    @Test
    void anUnclosedQuoteOrCommentRunsToTheEnd() {
        assertEquals(List.of("x", "'abc"), texts(SqlTokens.of("x 'abc")));
        assertEquals(List.of("x"), texts(SqlTokens.of("x /* never closed")));
    }
}
