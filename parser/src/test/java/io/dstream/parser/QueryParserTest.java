package io.dstream.parser;

import static io.dstream.parser.RoundTrip.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSelectKeyword;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.junit.jupiter.api.Test;

/** Calcite's stock query grammar must keep working under {@link StreamSqlParser#config()}. */
class QueryParserTest {
  @Test
  void selectStreamWithGroupedTumble() {
    SqlSelect select = (SqlSelect) roundTrip("""
        SELECT STREAM TUMBLE_END(rowtime, INTERVAL '10' SECOND) AS wend, item, COUNT(*) AS c
        FROM bids GROUP BY TUMBLE(rowtime, INTERVAL '10' SECOND), item""");
    assertThat(select.getModifierNode(SqlSelectKeyword.STREAM)).isNotNull();
    assertThat(select.getGroup()).hasSize(2);
  }

  @Test
  void selectStreamWithGroupedHop() {
    SqlSelect select = (SqlSelect) roundTrip("""
        select stream HOP_START(rowtime, interval '5' second, interval '10' second), sum(price)
        from bids group by HOP(rowtime, interval '5' second, interval '10' second)""");
    assertThat(select.getModifierNode(SqlSelectKeyword.STREAM)).isNotNull();
  }

  @Test
  void tumbleWindowTableFunction() {
    SqlSelect select = (SqlSelect) roundTrip("""
        SELECT STREAM window_start, window_end, item, COUNT(*) AS c
        FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(rowtime), INTERVAL '10' SECOND))
        GROUP BY window_start, window_end, item""");
    assertThat(select.getFrom().getKind()).isEqualTo(SqlKind.COLLECTION_TABLE);
  }

  @Test
  void hopWindowTableFunction() {
    roundTrip("SELECT * FROM TABLE(HOP(TABLE bids, DESCRIPTOR(rowtime), "
        + "INTERVAL '5' SECOND, INTERVAL '10' SECOND))");
  }

  @Test
  void percentIsModuloUnderTheRecommendedConformance() {
    SqlSelect select = (SqlSelect) roundTrip("SELECT a % b FROM t");
    SqlBasicCall call = (SqlBasicCall) select.getSelectList().get(0);
    assertThat(call.getKind()).isEqualTo(SqlKind.MOD);
    assertThat(StreamSqlParser.config().conformance()).isEqualTo(SqlConformanceEnum.LENIENT);
  }

  @Test
  void percentIsRejectedUnderTheDefaultConformance() {
    SqlParser parser = SqlParser.create("SELECT a % b FROM t",
        StreamSqlParser.config().withConformance(SqlConformanceEnum.DEFAULT));
    assertThatThrownBy(parser::parseStmt).isInstanceOf(SqlParseException.class);
  }

  @Test
  void modFunction() {
    SqlSelect select = (SqlSelect) roundTrip("SELECT MOD(a, 3) FROM t");
    // Resolved to the MOD operator only by the validator; the parser keeps an unresolved call.
    assertThat(((SqlBasicCall) select.getSelectList().get(0)).getOperator().getName())
        .isEqualTo("MOD");
  }

  @Test
  void newKeywordsRemainUsableInQueries() {
    SqlNode node = roundTrip("SELECT streams, materialized, watermark, query, queries, tables, "
        + "views, functions FROM t WHERE if > 1");
    assertThat(((SqlSelect) node).getSelectList()).hasSize(8);
  }

  @Test
  void identifiersKeepTheirCase() {
    SqlSelect select = (SqlSelect) roundTrip("SELECT Window_Start FROM Bids");
    assertThat(StreamSqlParser.unparse(select)).isEqualTo("SELECT \"Window_Start\"\nFROM \"Bids\"");
  }
}
