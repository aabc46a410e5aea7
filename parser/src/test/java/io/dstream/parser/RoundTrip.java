package io.dstream.parser;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.calcite.sql.SqlNode;

/** Parse, unparse, parse again: the grammar and every unparse() must agree. */
final class RoundTrip {
  private RoundTrip() {}

  static SqlNode roundTrip(String sql) {
    SqlNode first = StreamSqlParser.parse(sql);
    String unparsed = StreamSqlParser.unparse(first);
    SqlNode second = StreamSqlParser.parse(unparsed);
    assertThat(StreamSqlParser.unparse(second)).as("unparse of reparsed %s", unparsed)
        .isEqualTo(unparsed);
    assertThat(second.toString()).isEqualTo(first.toString());
    assertThat(second.getClass()).isEqualTo(first.getClass());
    return first;
  }
}
