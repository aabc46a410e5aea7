package io.dstream.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.apache.calcite.sql.parser.SqlParseException;
import org.junit.jupiter.api.Test;

class SqlParseFailureTest {
  @Test
  void misspelledKeywordReportsLineAndColumn() {
    SqlParseFailure failure = catchThrowableOfType(SqlParseFailure.class,
        () -> StreamSqlParser.parse("SELECT STREAM a,\n  b AS c FROMM bids"));
    assertThat(failure.line()).isEqualTo(2);
    assertThat(failure.column()).isEqualTo(10);
    assertThat(failure).hasMessageStartingWith(
        "Syntax error at line 2, column 10: Encountered \"FROMM\". Was expecting one of: ");
    assertThat(failure).hasCauseInstanceOf(SqlParseException.class);
  }

  @Test
  void errorInsideCreateStreamReportsPosition() {
    SqlParseFailure failure = catchThrowableOfType(SqlParseFailure.class,
        () -> StreamSqlParser.parse("CREATE STREAM s (\n  a INT,\n  b NOTATYPE NOT)"));
    assertThat(failure.line()).isEqualTo(3);
    assertThat(failure).hasMessageStartingWith("Syntax error at line 3, column ");
  }

  @Test
  void lexicalErrorReportsPosition() {
    SqlParseFailure failure = catchThrowableOfType(SqlParseFailure.class,
        () -> StreamSqlParser.parse("SELECT 'unterminated FROM t"));
    assertThat(failure.line()).isEqualTo(1);
    assertThat(failure).hasMessageStartingWith("Syntax error at line 1, column ");
  }

  @Test
  void expectedTokenListIsBounded() {
    SqlParseFailure failure = catchThrowableOfType(SqlParseFailure.class,
        () -> StreamSqlParser.parse("SELECT FROM"));
    assertThat(failure.getMessage()).doesNotContain("\n");
    assertThat(failure.getMessage().length()).isLessThan(600);
  }
}
