package io.dstream.sqltests.differential;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query shapes run against every input: the engine's streaming SQL and the equivalent DuckDB
 * batch query. In both, {@code $t} stands for the input's table; in DuckDB's,
 * {@code $wSIZE_SLIDE_OFFSET} (seconds) stands for the view of the input assigned to its windows
 * and {@code $cSIZE_STEP_OFFSET} for its cumulative windows (see {@link DuckDbOracle#load}). Where the two dialects differ, the DuckDB side is adapted to
 * Calcite's semantics, and a comment says how.
 */
final class Shapes {
  private Shapes() {}

  record Shape(String name, String engine, String duck) {
    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * Calcite types AVG(BIGINT) as BIGINT, truncated toward zero; DuckDB returns DOUBLE. The sums
   * here stay far below 2^53, so the double average is exact enough for TRUNC to agree.
   */
  private static String duckAvg(String column) {
    return "CAST(TRUNC(AVG(" + column + ")) AS BIGINT)";
  }

  private static final String AGGS = "COUNT(*) AS n, COUNT(price) AS np, SUM(price) AS total,"
      + " MIN(price) AS lo, MAX(price) AS hi, AVG(price) AS av";
  private static final String DUCK_AGGS = "COUNT(*), COUNT(price), SUM(price), MIN(price), MAX(price), "
      + duckAvg("price");

  private static final String FILTER_AGGS = "COUNT(*) FILTER (WHERE price > 10000) AS n_big,"
      + " COUNT(price) FILTER (WHERE channel = 'Google') AS n_google,"
      + " SUM(price) FILTER (WHERE price % 2 = 0) AS even_total, MIN(price) FILTER (WHERE bidder > 20) AS lo,"
      + " MAX(price) FILTER (WHERE channel LIKE 'B%') AS hi, AVG(price) FILTER (WHERE price < 5000) AS av";
  private static final String DUCK_FILTER_AGGS = "COUNT(*) FILTER (WHERE price > 10000),"
      + " COUNT(price) FILTER (WHERE channel = 'Google'), SUM(price) FILTER (WHERE price % 2 = 0),"
      + " MIN(price) FILTER (WHERE bidder > 20), MAX(price) FILTER (WHERE channel LIKE 'B%'),"
      + " CAST(TRUNC(AVG(price) FILTER (WHERE price < 5000)) AS BIGINT)";

  private static String tumble(int seconds) {
    return "TUMBLE(date_time, INTERVAL '" + seconds + "' SECOND)";
  }

  private static String hop(int size, int slide) {
    return "date_time, INTERVAL '" + slide + "' SECOND, INTERVAL '" + size + "' SECOND";
  }

  private static String tumbleTvf(int seconds) {
    return "TABLE(TUMBLE(TABLE $t, DESCRIPTOR(date_time), INTERVAL '" + seconds + "' SECOND))";
  }

  private static String cumulateTvf(int size, int step, int offset) {
    return "TABLE(CUMULATE(TABLE $t, DESCRIPTOR(date_time), INTERVAL '" + step + "' SECOND, INTERVAL '" + size
        + "' SECOND" + (offset == 0 ? "" : ", INTERVAL '" + offset + "' SECOND") + "))";
  }

  private static String hopTvf(int size, int slide) {
    return "TABLE(HOP(TABLE $t, DESCRIPTOR(date_time), INTERVAL '" + slide + "' SECOND, INTERVAL '"
        + size + "' SECOND))";
  }

  /**
   * DuckDB's sessions of {@code $t} per {@code keys} (none: one sequence of all rows) with a gap
   * of {@code gapSeconds}: over the rows sorted by time, a new session starts where the time
   * since the previous row is at least the gap. Columns: the input's, then session_start (the
   * first time) and session_end (the last time plus the gap).
   */
  private static String duckSessions(String keys, int gapSeconds) {
    long gap = gapSeconds * 1000L;
    String partition = keys.isEmpty() ? "" : "PARTITION BY " + keys + " ";
    String session = keys.isEmpty() ? "PARTITION BY sid" : "PARTITION BY " + keys + ", sid";
    return "(SELECT * EXCLUDE (ms, new_session, sid), epoch_ms(MIN(ms) OVER (" + session + ")) AS session_start,"
        + " epoch_ms(MAX(ms) OVER (" + session + ") + " + gap + ") AS session_end"
        + " FROM (SELECT *, SUM(new_session) OVER (" + partition + "ORDER BY ms RANGE UNBOUNDED PRECEDING) AS sid"
        + " FROM (SELECT *, CASE WHEN ms - LAG(ms) OVER (" + partition + "ORDER BY ms) < " + gap
        + " THEN 0 ELSE 1 END AS new_session"
        + " FROM (SELECT *, epoch_ms(date_time) AS ms FROM $t WHERE date_time IS NOT NULL))))";
  }

  static final List<Shape> ALL = List.of(
      // ---- SESSION windows, both forms
      new Shape("session5_by_auction",
          "SELECT STREAM auction, SESSION_START(date_time, INTERVAL '5' SECOND) AS ss,"
              + " SESSION_END(date_time, INTERVAL '5' SECOND) AS se, " + AGGS
              + " FROM $t GROUP BY SESSION(date_time, INTERVAL '5' SECOND), auction",
          "SELECT auction, session_start, session_end, " + DUCK_AGGS + " FROM " + duckSessions("auction", 5)
              + " GROUP BY auction, session_start, session_end"),
      new Shape("session3_by_auction_having_expressions",
          "SELECT STREAM auction, SESSION_END(date_time, INTERVAL '3' SECOND) - INTERVAL '1' SECOND AS se1,"
              + " COUNT(*) AS n, MAX(price) - MIN(price) AS spread FROM $t WHERE price IS NOT NULL"
              + " GROUP BY SESSION(date_time, INTERVAL '3' SECOND), auction HAVING COUNT(*) > 1",
          "SELECT auction, session_end - INTERVAL '1' SECOND, COUNT(*), MAX(price) - MIN(price) FROM "
              + duckSessions("auction", 3).replace("WHERE date_time IS NOT NULL", "WHERE date_time IS NOT NULL AND price IS NOT NULL")
              + " GROUP BY auction, session_start, session_end HAVING COUNT(*) > 1"),
      new Shape("session_tvf2_by_channel",
          "SELECT STREAM window_start, window_end, channel, COUNT(*) AS n, SUM(price) AS total, AVG(price) AS av"
              + " FROM TABLE(SESSION(TABLE $t, DESCRIPTOR(date_time), DESCRIPTOR(channel), INTERVAL '2' SECOND))"
              + " GROUP BY window_start, window_end, channel",
          "SELECT session_start, session_end, channel, COUNT(*), SUM(price), " + duckAvg("price") + " FROM "
              + duckSessions("channel", 2) + " GROUP BY session_start, session_end, channel"),
      new Shape("session_tvf1_global",
          "SELECT STREAM window_start, window_end, " + AGGS
              + " FROM TABLE(SESSION(TABLE $t, DESCRIPTOR(date_time), INTERVAL '1' SECOND))"
              + " GROUP BY window_start, window_end",
          "SELECT session_start, session_end, " + DUCK_AGGS + " FROM " + duckSessions("", 1)
              + " GROUP BY session_start, session_end"),
      new Shape("session_tvf4_by_auction_channel",
          "SELECT STREAM auction, channel, window_end, COUNT(*) AS n, MIN(date_time) AS first_t"
              + " FROM TABLE(SESSION(TABLE $t, DESCRIPTOR(date_time), DESCRIPTOR(auction, channel), INTERVAL '4' SECOND))"
              + " GROUP BY window_start, window_end, auction, channel",
          "SELECT auction, channel, session_end, COUNT(*), MIN(date_time) FROM " + duckSessions("auction, channel", 4)
              + " GROUP BY session_start, session_end, auction, channel"),
      // ---- projections
      new Shape("passthrough", "SELECT STREAM * FROM $t", "SELECT * FROM $t"),
      new Shape("passthrough_reordered",
          "SELECT STREAM date_time, extra, price, auction FROM $t",
          "SELECT date_time, extra, price, auction FROM $t"),
      // DuckDB's '/' on integers is a DOUBLE division; Calcite's truncates: DuckDB's '//'.
      new Shape("arithmetic",
          "SELECT STREAM auction, price, 0.908 * price AS euro, price * 2 + 1 AS p2, price / 7 AS d7,"
              + " price % 13 AS m13, MOD(auction, 7) AS am, -price AS neg FROM $t",
          "SELECT auction, price, 0.908 * price, price * 2 + 1, price // 7, price % 13, auction % 7, -price"
              + " FROM $t"),
      // Standard SQL (and Calcite's default) would type the CASE as CHAR(4), padding 'low' to
      // 'low '; the engine types it VARCHAR(4) without padding, like DuckDB: no adaptation.
      new Shape("case_and_double",
          "SELECT STREAM auction, CASE WHEN price > 1000 THEN 'high' ELSE 'low' END AS band,"
              + " CAST(price AS DOUBLE) / 3 AS third, price * 1.5 AS p15 FROM $t",
          "SELECT auction, CASE WHEN price > 1000 THEN 'high' ELSE 'low' END, CAST(price AS DOUBLE) / 3,"
              + " price * 1.5 FROM $t"),
      // UPPER('ß') is 'SS' in the engine (Java's full Unicode case mapping, as Calcite) and the
      // capital sharp s 'ẞ' in DuckDB: DuckDB's side maps 'ẞ' to 'SS'.
      new Shape("strings",
          "SELECT STREAM UPPER(channel) AS ch, CHAR_LENGTH(extra) AS n, LOWER(extra) AS lx, UPPER(extra) AS ux,"
              + " date_time FROM $t",
          "SELECT UPPER(channel), CHAR_LENGTH(extra), LOWER(extra), replace(UPPER(extra), 'ẞ', 'SS'), date_time"
              + " FROM $t"),
      new Shape("booleans_and_nulls",
          "SELECT STREAM auction, price IS NULL AS missing, price > 500000 AS big, COALESCE(price, -1) AS p,"
              + " channel = '' AS no_channel FROM $t",
          "SELECT auction, price IS NULL, price > 500000, COALESCE(price, -1), channel = '' FROM $t"),
      // ---- filters
      new Shape("filter_mod", "SELECT STREAM auction, price FROM $t WHERE auction % 7 = 0",
          "SELECT auction, price FROM $t WHERE auction % 7 = 0"),
      new Shape("filter_between", "SELECT STREAM * FROM $t WHERE price BETWEEN 1000 AND 50000",
          "SELECT * FROM $t WHERE price BETWEEN 1000 AND 50000"),
      new Shape("filter_or_null", "SELECT STREAM auction, channel, price FROM $t WHERE channel = 'Google' OR price < 100",
          "SELECT auction, channel, price FROM $t WHERE channel = 'Google' OR price < 100"),
      new Shape("filter_like", "SELECT STREAM channel, extra FROM $t WHERE channel LIKE 'B%'",
          "SELECT channel, extra FROM $t WHERE channel LIKE 'B%'"),
      new Shape("filter_is_null", "SELECT STREAM auction, bidder, date_time FROM $t WHERE price IS NULL",
          "SELECT auction, bidder, date_time FROM $t WHERE price IS NULL"),
      new Shape("filter_not", "SELECT STREAM auction, price FROM $t WHERE NOT (price > 1000) AND channel <> ''",
          "SELECT auction, price FROM $t WHERE NOT (price > 1000) AND channel <> ''"),
      // ---- TUMBLE, grouped window function form
      new Shape("tumble10_by_window",
          "SELECT STREAM TUMBLE_START(date_time, INTERVAL '10' SECOND) AS ws,"
              + " TUMBLE_END(date_time, INTERVAL '10' SECOND) AS we, " + AGGS + " FROM $t GROUP BY " + tumble(10),
          "SELECT window_start, window_end, " + DUCK_AGGS + " FROM $w10_10_0 GROUP BY window_start, window_end"),
      new Shape("tumble10_by_auction",
          "SELECT STREAM auction, TUMBLE_END(date_time, INTERVAL '10' SECOND) AS we, " + AGGS
              + " FROM $t GROUP BY " + tumble(10) + ", auction",
          "SELECT auction, window_end, " + DUCK_AGGS + " FROM $w10_10_0 GROUP BY window_start, window_end, auction"),
      new Shape("tumble10_by_channel",
          "SELECT STREAM channel, TUMBLE_START(date_time, INTERVAL '10' SECOND) AS ws, " + AGGS
              + " FROM $t GROUP BY " + tumble(10) + ", channel",
          "SELECT channel, window_start, " + DUCK_AGGS + " FROM $w10_10_0 GROUP BY window_start, window_end, channel"),
      new Shape("tumble3_no_window_columns",
          "SELECT STREAM COUNT(*) AS n, SUM(price) AS total FROM $t GROUP BY " + tumble(3),
          "SELECT COUNT(*), SUM(price) FROM $w3_3_0 GROUP BY window_start"),
      new Shape("tumble60_by_auction_having",
          "SELECT STREAM auction, TUMBLE_START(date_time, INTERVAL '60' SECOND) AS ws, COUNT(*) AS n,"
              + " MAX(price) AS hi FROM $t GROUP BY " + tumble(60) + ", auction HAVING COUNT(*) > 2",
          "SELECT auction, window_start, COUNT(*), MAX(price) FROM $w60_60_0 GROUP BY window_start, auction"
              + " HAVING COUNT(*) > 2"),
      new Shape("tumble10_filtered_expr",
          "SELECT STREAM channel, TUMBLE_END(date_time, INTERVAL '10' SECOND) AS we, SUM(price * 2) AS s2,"
              + " COUNT(extra) AS ne, MIN(CHAR_LENGTH(extra)) AS shortest FROM $t WHERE channel LIKE '%a%'"
              + " GROUP BY " + tumble(10) + ", channel",
          "SELECT channel, window_end, SUM(price * 2), COUNT(extra), MIN(CHAR_LENGTH(extra)) FROM $w10_10_0"
              + " WHERE channel LIKE '%a%' GROUP BY window_start, window_end, channel"),
      // ---- TUMBLE, table function form
      new Shape("tumble_tvf_passthrough",
          "SELECT STREAM auction, price, date_time, window_start, window_end FROM " + tumbleTvf(10),
          "SELECT auction, price, date_time, window_start, window_end FROM $w10_10_0"),
      new Shape("tumble_tvf_by_window",
          "SELECT STREAM window_start, window_end, " + AGGS + " FROM " + tumbleTvf(10)
              + " GROUP BY window_start, window_end",
          "SELECT window_start, window_end, " + DUCK_AGGS + " FROM $w10_10_0 GROUP BY window_start, window_end"),
      new Shape("tumble_tvf_by_auction_having",
          "SELECT STREAM auction, window_end, COUNT(*) AS n, SUM(price) AS total FROM " + tumbleTvf(10)
              + " GROUP BY window_start, window_end, auction HAVING COUNT(*) > 2",
          "SELECT auction, window_end, COUNT(*), SUM(price) FROM $w10_10_0 GROUP BY window_start, window_end,"
              + " auction HAVING COUNT(*) > 2"),
      new Shape("tumble_tvf_by_channel",
          "SELECT STREAM window_start, channel, " + AGGS + " FROM " + tumbleTvf(3)
              + " GROUP BY window_start, window_end, channel",
          "SELECT window_start, channel, " + DUCK_AGGS + " FROM $w3_3_0 GROUP BY window_start, window_end, channel"),
      // ---- HOP, grouped window function form (HOP(time, slide, size))
      new Shape("hop10_2_by_window",
          "SELECT STREAM HOP_START(" + hop(10, 2) + ") AS hs, HOP_END(" + hop(10, 2) + ") AS he, " + AGGS
              + " FROM $t GROUP BY HOP(" + hop(10, 2) + ")",
          "SELECT window_start, window_end, " + DUCK_AGGS + " FROM $w10_2_0 GROUP BY window_start, window_end"),
      new Shape("hop9_3_by_channel",
          "SELECT STREAM channel, HOP_END(" + hop(9, 3) + ") AS he, " + AGGS
              + " FROM $t GROUP BY HOP(" + hop(9, 3) + "), channel",
          "SELECT channel, window_end, " + DUCK_AGGS + " FROM $w9_3_0 GROUP BY window_start, window_end, channel"),
      new Shape("hop9_3_by_auction_having",
          "SELECT STREAM auction, HOP_START(" + hop(9, 3) + ") AS hs, COUNT(*) AS n, MIN(price) AS lo"
              + " FROM $t GROUP BY HOP(" + hop(9, 3) + "), auction HAVING COUNT(*) > 2",
          "SELECT auction, window_start, COUNT(*), MIN(price) FROM $w9_3_0 GROUP BY window_start, window_end,"
              + " auction HAVING COUNT(*) > 2"),
      // ---- HOP, table function form (HOP(TABLE t, DESCRIPTOR(time), slide, size))
      new Shape("hop_tvf10_2_by_window",
          "SELECT STREAM window_start, window_end, " + AGGS + " FROM " + hopTvf(10, 2)
              + " GROUP BY window_start, window_end",
          "SELECT window_start, window_end, " + DUCK_AGGS + " FROM $w10_2_0 GROUP BY window_start, window_end"),
      new Shape("hop_tvf10_2_by_auction_having",
          "SELECT STREAM auction, window_start, window_end, COUNT(*) AS n, MAX(price) AS hi FROM " + hopTvf(10, 2)
              + " GROUP BY window_start, window_end, auction HAVING COUNT(*) > 2",
          "SELECT auction, window_start, window_end, COUNT(*), MAX(price) FROM $w10_2_0 GROUP BY window_start,"
              + " window_end, auction HAVING COUNT(*) > 2"),
      new Shape("hop_tvf9_3_by_channel",
          "SELECT STREAM channel, window_end, " + AGGS + " FROM " + hopTvf(9, 3)
              + " GROUP BY window_start, window_end, channel",
          "SELECT channel, window_end, " + DUCK_AGGS + " FROM $w9_3_0 GROUP BY window_start, window_end, channel"),
      new Shape("hop_tvf9_3_passthrough",
          "SELECT STREAM auction, price, window_start, window_end FROM " + hopTvf(9, 3),
          "SELECT auction, price, window_start, window_end FROM $w9_3_0"),
      // ---- more expressions
      // (A negative SUBSTRING start differs by dialect: standard SQL counts positions before the
      // first character, DuckDB counts from the end; not compared.)
      new Shape("string_functions",
          "SELECT STREAM extra, SUBSTRING(extra FROM 2 FOR 3) AS sub, SUBSTRING(extra FROM 0 FOR 2) AS s0,"
              + " SUBSTRING(extra FROM 5) AS tail, POSITION('a' IN extra) AS pos,"
              + " channel || '/' || extra AS cat, ABS(price) AS ab FROM $t",
          "SELECT extra, SUBSTRING(extra, 2, 3), SUBSTRING(extra, 0, 2), SUBSTRING(extra, 5), POSITION('a' IN extra),"
              + " channel || '/' || extra, ABS(price) FROM $t"),
      new Shape("filter_like_escape_latin1",
          "SELECT STREAM extra FROM $t WHERE extra LIKE '%!_%' ESCAPE '!' OR extra LIKE '%é_' OR extra LIKE '_!%%' ESCAPE '!'",
          "SELECT extra FROM $t WHERE extra LIKE '%!_%' ESCAPE '!' OR extra LIKE '%é_' OR extra LIKE '_!%%' ESCAPE '!'"),
      // DECIMAL division: the engine's result has scale 6 (Calcite: max(6, ...)), rounded half up;
      // DuckDB divides decimals as DOUBLE: rounded to 6 places and cast back (x / 3.0 and x / 7.0
      // never fall on a tie, and these values have at most 13 significant digits).
      new Shape("decimal_division",
          "SELECT STREAM price, price / 3.0 AS a, price / 7.0 AS b FROM $t",
          "SELECT price, CAST(ROUND(price / 3.0, 6) AS DECIMAL(19, 6)), CAST(ROUND(price / 7.0, 6) AS DECIMAL(19, 6))"
              + " FROM $t"),
      new Shape("string_order",
          "SELECT STREAM extra, extra < 'm' AS lt, extra >= 'x' AS ge FROM $t WHERE extra > 'b' AND extra LIKE '%_a%'",
          "SELECT extra, extra < 'm', extra >= 'x' FROM $t WHERE extra > 'b' AND extra LIKE '%_a%'"),
      new Shape("null_logic",
          "SELECT STREAM auction, (price > 1000) IS NOT TRUE AS nt, (price < 0) IS FALSE AS f,"
              + " CASE WHEN price IS NULL THEN NULL WHEN price < 0 THEN -1 ELSE price END AS c,"
              + " price > 100 AND channel = 'Apple' AS a, price > 100 OR channel = 'Apple' AS o FROM $t",
          "SELECT auction, (price > 1000) IS NOT TRUE, (price < 0) IS FALSE,"
              + " CASE WHEN price IS NULL THEN NULL WHEN price < 0 THEN -1 ELSE price END,"
              + " price > 100 AND channel = 'Apple', price > 100 OR channel = 'Apple' FROM $t"),
      new Shape("casts_and_timestamps",
          "SELECT STREAM CAST(price AS VARCHAR) AS ps, CAST(auction AS DOUBLE) AS ad, CAST(price AS DECIMAL(12, 2)) AS pd,"
              + " date_time + INTERVAL '1' SECOND AS later, FLOOR(date_time TO SECOND) AS sec,"
              + " FLOOR(date_time TO MINUTE) AS mi FROM $t",
          "SELECT CAST(price AS VARCHAR), CAST(auction AS DOUBLE), CAST(price AS DECIMAL(12, 2)),"
              + " date_time + INTERVAL '1' SECOND, date_trunc('second', date_time), date_trunc('minute', date_time)"
              + " FROM $t"),
      new Shape("mixed_comparisons", "SELECT STREAM auction, price FROM $t WHERE price > 1000.5 OR price = 100.0",
          "SELECT auction, price FROM $t WHERE price > 1000.5 OR price = 100.0"),
      // ---- more aggregates
      new Shape("tumble10_by_auction_channel",
          "SELECT STREAM auction, channel, TUMBLE_START(date_time, INTERVAL '10' SECOND) AS ws, COUNT(*) AS n,"
              + " SUM(bidder) AS sb FROM $t GROUP BY " + tumble(10) + ", auction, channel",
          "SELECT auction, channel, window_start, COUNT(*), SUM(bidder) FROM $w10_10_0"
              + " GROUP BY window_start, auction, channel"),
      // MIN/MAX over VARCHAR are not supported by the engine yet (it says so): timestamps only.
      new Shape("tumble10_timestamp_min_max",
          "SELECT STREAM TUMBLE_END(date_time, INTERVAL '10' SECOND) AS we, MIN(date_time) AS first_t,"
              + " MAX(date_time) AS last_t FROM $t GROUP BY " + tumble(10),
          "SELECT window_end, MIN(date_time), MAX(date_time) FROM $w10_10_0 GROUP BY window_end"),
      new Shape("tumble10_double_aggs",
          "SELECT STREAM auction, TUMBLE_END(date_time, INTERVAL '10' SECOND) AS we, SUM(CAST(price AS DOUBLE)) AS s,"
              + " AVG(CAST(price AS DOUBLE)) AS a, MIN(price / 3e0) AS lo, MAX(price * 0.5e0) AS hi FROM $t"
              + " GROUP BY " + tumble(10) + ", auction",
          "SELECT auction, window_end, SUM(CAST(price AS DOUBLE)), AVG(CAST(price AS DOUBLE)), MIN(price / 3e0),"
              + " MAX(price * 0.5e0) FROM $w10_10_0 GROUP BY window_end, auction"),
      new Shape("tumble10_decimal_aggs",
          "SELECT STREAM channel, TUMBLE_END(date_time, INTERVAL '10' SECOND) AS we, SUM(0.25 * price) AS s,"
              + " MIN(price * 1.5) AS lo, MAX(price * 1.5) AS hi FROM $t GROUP BY " + tumble(10) + ", channel",
          "SELECT channel, window_end, SUM(0.25 * price), MIN(price * 1.5), MAX(price * 1.5) FROM $w10_10_0"
              + " GROUP BY window_end, channel"),
      // AVG over DECIMAL keeps the argument's type in the engine (DECIMAL(19, 1) here), rounded half
      // up; DuckDB's AVG(DECIMAL) is a DOUBLE: computed exactly instead, on the unscaled integers
      // price * 1.5 * 10 = price * 15 (div_half_up is a macro of DuckDbOracle).
      new Shape("tumble10_decimal_avg",
          "SELECT STREAM auction, TUMBLE_START(date_time, INTERVAL '10' SECOND) AS ws, AVG(price * 1.5) AS a,"
              + " AVG(0.05 * bidder) AS b FROM $t GROUP BY " + tumble(10) + ", auction",
          "SELECT auction, window_start, CAST(div_half_up(SUM(price * 15), COUNT(price)) AS DECIMAL(18, 0)) * 0.1,"
              + " CAST(div_half_up(SUM(bidder * 5), COUNT(bidder)) AS DECIMAL(18, 0)) * 0.01"
              + " FROM $w10_10_0 GROUP BY window_start, auction"),
      new Shape("tumble_offset_grouped",
          "SELECT STREAM TUMBLE_START(date_time, INTERVAL '10' SECOND, TIME '00:00:03') AS ws,"
              + " TUMBLE_END(date_time, INTERVAL '10' SECOND, TIME '00:00:03') AS we, " + AGGS
              + " FROM $t GROUP BY TUMBLE(date_time, INTERVAL '10' SECOND, TIME '00:00:03')",
          "SELECT window_start, window_end, " + DUCK_AGGS + " FROM $w10_10_3 GROUP BY window_start, window_end"),
      new Shape("tumble_offset_tvf",
          "SELECT STREAM window_start, window_end, auction, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE $t,"
              + " DESCRIPTOR(date_time), INTERVAL '10' SECOND, INTERVAL '3' SECOND))"
              + " GROUP BY window_start, window_end, auction",
          "SELECT window_start, window_end, auction, COUNT(*) FROM $w10_10_3 GROUP BY window_start, window_end, auction"),
      new Shape("tumble_tvf_group_by_start_only",
          "SELECT STREAM window_start, COUNT(*) AS n, MAX(price) AS hi FROM " + tumbleTvf(10) + " GROUP BY window_start",
          "SELECT window_start, COUNT(*), MAX(price) FROM $w10_10_0 GROUP BY window_start"),
      new Shape("tumble_tvf_group_by_end_only",
          "SELECT STREAM window_end, channel, COUNT(*) AS n FROM " + tumbleTvf(3) + " GROUP BY window_end, channel",
          "SELECT window_end, channel, COUNT(*) FROM $w3_3_0 GROUP BY window_end, channel"),
      new Shape("having_via_subquery",
          "SELECT STREAM we, auction, c, su FROM (SELECT TUMBLE_END(date_time, INTERVAL '10' SECOND) AS we, auction,"
              + " COUNT(*) AS c, SUM(price) AS su FROM $t GROUP BY " + tumble(10) + ", auction)"
              + " WHERE c > 3 OR su > 100000",
          "SELECT * FROM (SELECT window_end AS we, auction, COUNT(*) AS c, SUM(price) AS su FROM $w10_10_0"
              + " GROUP BY window_end, auction) WHERE c > 3 OR su > 100000"),
      new Shape("hop10_3_uneven_grouped",
          "SELECT STREAM HOP_START(" + hop(10, 3) + ") AS hs, HOP_END(" + hop(10, 3) + ") AS he, " + AGGS
              + " FROM $t GROUP BY HOP(" + hop(10, 3) + ")",
          "SELECT window_start, window_end, " + DUCK_AGGS + " FROM $w10_3_0 GROUP BY window_start, window_end"),
      new Shape("hop10_3_uneven_tvf_by_auction",
          "SELECT STREAM auction, window_start, window_end, COUNT(*) AS n, SUM(price) AS s FROM " + hopTvf(10, 3)
              + " GROUP BY window_start, window_end, auction",
          "SELECT auction, window_start, window_end, COUNT(*), SUM(price) FROM $w10_3_0"
              + " GROUP BY window_start, window_end, auction"),
      new Shape("hop_tvf_offset",
          "SELECT STREAM window_start, window_end, " + AGGS + " FROM TABLE(HOP(TABLE $t, DESCRIPTOR(date_time),"
              + " INTERVAL '4' SECOND, INTERVAL '10' SECOND, INTERVAL '1' SECOND)) GROUP BY window_start, window_end",
          "SELECT window_start, window_end, " + DUCK_AGGS + " FROM $w10_4_1 GROUP BY window_start, window_end"),
      new Shape("hop_filtered_projected_aggregate",
          "SELECT STREAM HOP_END(" + hop(9, 3) + ") - INTERVAL '1' SECOND AS he, COUNT(*) * 2 AS n2,"
              + " MAX(price) - MIN(price) AS spread FROM $t WHERE price IS NOT NULL AND channel <> 'Google'"
              + " GROUP BY HOP(" + hop(9, 3) + ")",
          "SELECT window_end - INTERVAL '1' SECOND, COUNT(*) * 2, MAX(price) - MIN(price) FROM $w9_3_0"
              + " WHERE price IS NOT NULL AND channel <> 'Google' GROUP BY window_start, window_end"),
      // ---- FILTER (WHERE ...) on aggregates: both dialects have it; conditions that are NULL
      // (price IS NULL) do not count.
      new Shape("tumble10_filter_every_aggregate",
          "SELECT STREAM auction, TUMBLE_END(date_time, INTERVAL '10' SECOND) AS we, " + FILTER_AGGS
              + " FROM $t GROUP BY " + tumble(10) + ", auction",
          "SELECT auction, window_end, " + DUCK_FILTER_AGGS + " FROM $w10_10_0 GROUP BY window_end, auction"),
      new Shape("hop_tvf9_3_filter_by_channel",
          "SELECT STREAM channel, window_start, window_end, " + FILTER_AGGS + " FROM " + hopTvf(9, 3)
              + " GROUP BY window_start, window_end, channel",
          "SELECT channel, window_start, window_end, " + DUCK_FILTER_AGGS + " FROM $w9_3_0"
              + " GROUP BY window_start, window_end, channel"),
      new Shape("hop_tvf10_2_filter_on_window_and_having",
          "SELECT STREAM window_end, COUNT(*) FILTER (WHERE date_time >= window_start + INTERVAL '5' SECOND) AS n,"
              + " SUM(price) FILTER (WHERE extra LIKE '%a%') AS sa, COUNT(*) AS total FROM " + hopTvf(10, 2)
              + " GROUP BY window_start, window_end HAVING COUNT(*) FILTER (WHERE price > 1000) > 1",
          "SELECT window_end, COUNT(*) FILTER (WHERE date_time >= window_start + INTERVAL '5' SECOND),"
              + " SUM(price) FILTER (WHERE extra LIKE '%a%'), COUNT(*) FROM $w10_2_0"
              + " GROUP BY window_start, window_end HAVING COUNT(*) FILTER (WHERE price > 1000) > 1"),
      new Shape("tumble_tvf3_filter_double_decimal",
          "SELECT STREAM window_start, SUM(CAST(price AS DOUBLE)) FILTER (WHERE bidder % 3 = 0) AS sd,"
              + " MAX(price * 1.5) FILTER (WHERE channel <> '') AS md, MIN(date_time) FILTER (WHERE price < 0) AS neg_t"
              + " FROM " + tumbleTvf(3) + " GROUP BY window_start, window_end",
          "SELECT window_start, SUM(CAST(price AS DOUBLE)) FILTER (WHERE bidder % 3 = 0),"
              + " MAX(price * 1.5) FILTER (WHERE channel <> ''), MIN(date_time) FILTER (WHERE price < 0)"
              + " FROM $w3_3_0 GROUP BY window_start, window_end"),
      // ---- DISTINCT aggregates next to ordinary ones, with HAVING
      new Shape("tumble10_distinct_by_channel_having",
          "SELECT STREAM channel, TUMBLE_END(date_time, INTERVAL '10' SECOND) AS we, COUNT(*) AS n,"
              + " COUNT(DISTINCT auction) AS auctions, COUNT(DISTINCT bidder) AS bidders, SUM(DISTINCT price) AS sd,"
              + " AVG(DISTINCT price) AS ad, MAX(price) AS hi FROM $t GROUP BY " + tumble(10) + ", channel"
              + " HAVING COUNT(DISTINCT bidder) > 2",
          "SELECT channel, window_end, COUNT(*), COUNT(DISTINCT auction), COUNT(DISTINCT bidder), SUM(DISTINCT price),"
              + " CAST(TRUNC(AVG(DISTINCT price)) AS BIGINT), MAX(price) FROM $w10_10_0 GROUP BY window_end, channel"
              + " HAVING COUNT(DISTINCT bidder) > 2"),
      new Shape("hop_tvf9_3_distinct_strings_and_filter",
          "SELECT STREAM window_start, window_end, COUNT(DISTINCT channel) AS channels, COUNT(DISTINCT extra) AS extras,"
              + " COUNT(DISTINCT price) FILTER (WHERE price > 100) AS big_prices, SUM(price) AS total FROM "
              + hopTvf(9, 3) + " GROUP BY window_start, window_end",
          "SELECT window_start, window_end, COUNT(DISTINCT channel), COUNT(DISTINCT extra),"
              + " COUNT(DISTINCT price) FILTER (WHERE price > 100), SUM(price) FROM $w9_3_0"
              + " GROUP BY window_start, window_end"),
      new Shape("tumble_tvf3_distinct_by_auction",
          "SELECT STREAM auction, window_start, COUNT(DISTINCT bidder) AS bidders,"
              + " SUM(DISTINCT CAST(price AS DOUBLE)) AS sd, AVG(DISTINCT bidder) AS ab, COUNT(price) AS np FROM "
              + tumbleTvf(3) + " GROUP BY window_start, window_end, auction HAVING COUNT(*) > 1",
          "SELECT auction, window_start, COUNT(DISTINCT bidder), SUM(DISTINCT CAST(price AS DOUBLE)),"
              + " CAST(TRUNC(AVG(DISTINCT bidder)) AS BIGINT), COUNT(price) FROM $w3_3_0"
              + " GROUP BY window_start, window_end, auction HAVING COUNT(*) > 1"),
      // ---- CUMULATE window table function
      new Shape("cumulate_tvf10_2_by_window",
          "SELECT STREAM window_start, window_end, " + AGGS + " FROM " + cumulateTvf(10, 2, 0)
              + " GROUP BY window_start, window_end",
          "SELECT window_start, window_end, " + DUCK_AGGS + " FROM $c10_2_0 GROUP BY window_start, window_end"),
      new Shape("cumulate_tvf9_3_by_channel_having",
          "SELECT STREAM channel, window_end, COUNT(*) AS n, SUM(price) AS total, MIN(price) AS lo FROM "
              + cumulateTvf(9, 3, 0) + " GROUP BY window_start, window_end, channel HAVING COUNT(*) > 3",
          "SELECT channel, window_end, COUNT(*), SUM(price), MIN(price) FROM $c9_3_0"
              + " GROUP BY window_start, window_end, channel HAVING COUNT(*) > 3"),
      new Shape("cumulate_tvf60_10_offset_by_auction",
          "SELECT STREAM auction, window_start, window_end, COUNT(*) AS n, MAX(price) AS hi,"
              + " COUNT(DISTINCT bidder) AS bidders, COUNT(*) FILTER (WHERE price > 1000) AS big FROM "
              + cumulateTvf(60, 10, 5) + " GROUP BY window_start, window_end, auction",
          "SELECT auction, window_start, window_end, COUNT(*), MAX(price), COUNT(DISTINCT bidder),"
              + " COUNT(*) FILTER (WHERE price > 1000) FROM $c60_10_5 GROUP BY window_start, window_end, auction"),
      new Shape("cumulate_tvf4_4_is_tumbling_end_only",
          "SELECT STREAM window_end, COUNT(*) AS n, SUM(bidder) AS sb FROM " + cumulateTvf(4, 4, 0)
              + " GROUP BY window_end",
          "SELECT window_end, COUNT(*), SUM(bidder) FROM $c4_4_0 GROUP BY window_end"),
      new Shape("cumulate_tvf9_3_passthrough",
          "SELECT STREAM auction, price, date_time, window_start, window_end FROM " + cumulateTvf(9, 3, 0),
          "SELECT auction, price, date_time, window_start, window_end FROM $c9_3_0"));

  /** The engine's query on table {@code table}. */
  static String engineSql(Shape shape, String table) {
    return shape.engine().replace("$t", table);
  }

  private static final Pattern WINDOW_VIEW = Pattern.compile("\\$([wc])(\\d+)_(\\d+)_(\\d+)");

  /** DuckDB's query on table {@code table} and its window views. */
  static String duckSql(Shape shape, String table) {
    Matcher m = WINDOW_VIEW.matcher(shape.duck());
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      int size = Integer.parseInt(m.group(2));
      int slide = Integer.parseInt(m.group(3));
      int offset = Integer.parseInt(m.group(4));
      m.appendReplacement(sb, m.group(1).equals("w") ? DuckDbOracle.windowView(table, size, slide, offset)
          : DuckDbOracle.cumulateView(table, size, slide, offset));
    }
    m.appendTail(sb);
    return sb.toString().replace("$t", table);
  }
}
