package io.dstream.jdbcserver.meta;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import io.dstream.jdbcserver.engine.SqlEngine;
import io.dstream.jdbcserver.engine.StatementResult;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted engine: "CREATE ..." gives an update count, "SHOW STREAMS" three rows, "SELECT
 * STREAM ..." a push stream fed from {@link #pushRows}, "SELECT TYPES" one row of every kind,
 * and "BAD ..." a syntax error.
 */
public final class FakeEngine implements SqlEngine {
  /** Put this in {@link #pushRows} to end the stream. */
  public static final Object[] END = new Object[0];

  public static final RowType SHOW_COLUMNS =
      RowType.of(
          new Column("name", DataType.of(DataType.Kind.VARCHAR).withNullable(false)),
          new Column("kind", DataType.of(DataType.Kind.VARCHAR).withNullable(false)));

  public static final RowType PUSH_COLUMNS =
      RowType.of(
          new Column("window_end", DataType.of(DataType.Kind.TIMESTAMP)),
          new Column("bids", DataType.of(DataType.Kind.BIGINT).withNullable(false)),
          new Column("channel", DataType.of(DataType.Kind.VARCHAR)));

  public static final RowType TYPE_COLUMNS =
      RowType.of(
          new Column("b", DataType.of(DataType.Kind.BOOLEAN)),
          new Column("i", DataType.of(DataType.Kind.INTEGER)),
          new Column("l", DataType.of(DataType.Kind.BIGINT)),
          new Column("d", DataType.decimal(10, 2)),
          new Column("r", DataType.of(DataType.Kind.REAL)),
          new Column("f", DataType.of(DataType.Kind.DOUBLE)),
          new Column("s", DataType.of(DataType.Kind.VARCHAR)),
          new Column("ts", DataType.of(DataType.Kind.TIMESTAMP)),
          new Column("dt", DataType.of(DataType.Kind.DATE)),
          new Column("tm", DataType.of(DataType.Kind.TIME)),
          new Column("n", DataType.of(DataType.Kind.INTEGER)),
          new Column("si", DataType.of(DataType.Kind.SMALLINT)));

  /** 2026-01-01 00:00:10 UTC. */
  public static final long TEN_SECONDS_INTO_2026 = 1_767_225_610_000L;

  public static final Object[] TYPE_ROW = {
    true,
    42L,
    9_000_000_000L,
    new BigDecimal("12.34"),
    1.5d,
    2.25d,
    "héllo",
    TEN_SECONDS_INTO_2026,
    20_454L, // 2026-01-01
    3_600_000L + 60_000L + 1_000L, // 01:01:01
    null,
    7L
  };

  public final BlockingQueue<Object[]> pushRows = new LinkedBlockingQueue<>();
  public final List<FakePushStream> streams = new CopyOnWriteArrayList<>();
  public final List<String> executed = new CopyOnWriteArrayList<>();
  private final CountDownLatch streamStarted = new CountDownLatch(1);

  @Override
  public StatementResult execute(String sql) {
    executed.add(sql);
    String upper = sql.trim().toUpperCase(Locale.ROOT);
    if (upper.startsWith("CREATE") || upper.startsWith("DROP")) {
      return new StatementResult.UpdateCount(0);
    }
    if (upper.startsWith("SHOW STREAMS")) {
      List<Object[]> rows = new ArrayList<>();
      rows.add(new Object[] {"bids", "STREAM"});
      rows.add(new Object[] {"prices", "TABLE"});
      rows.add(new Object[] {"top_bids", "VIEW"});
      return new StatementResult.RowSet(SHOW_COLUMNS, rows);
    }
    if (upper.startsWith("SELECT STREAM")) {
      FakePushStream stream = new FakePushStream(PUSH_COLUMNS, pushRows);
      streams.add(stream);
      streamStarted.countDown();
      return stream;
    }
    if (upper.startsWith("SELECT TYPES")) {
      return new StatementResult.RowSet(TYPE_COLUMNS, List.<Object[]>of(TYPE_ROW));
    }
    if (upper.startsWith("BOOM")) {
      throw new IllegalStateException("a bug");
    }
    throw new EngineException(
        ErrorCode.SYNTAX_ERROR, "Encountered \"" + sql.trim().split("\\s+")[0] + "\" at line 1, column 1");
  }

  @Override
  public List<CatalogEntry> catalog() {
    return List.of(
        new CatalogEntry(
            "bids",
            "STREAM",
            RowType.of(
                new Column("auction", DataType.of(DataType.Kind.BIGINT)),
                new Column("price", DataType.decimal(10, 2)),
                new Column("channel", DataType.of(DataType.Kind.VARCHAR)),
                new Column("date_time", DataType.of(DataType.Kind.TIMESTAMP).withNullable(false)))),
        new CatalogEntry(
            "prices", "TABLE", RowType.of(new Column("symbol", new DataType(DataType.Kind.VARCHAR, 8, 0, true)))),
        new CatalogEntry(
            "top_bids", "VIEW", RowType.of(new Column("auction", DataType.of(DataType.Kind.INTEGER)))));
  }

  public FakePushStream awaitStream() throws InterruptedException {
    if (!streamStarted.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("no push stream was started");
    }
    return streams.get(streams.size() - 1);
  }

  @Override
  public void close() {}

  /** A push stream that hands out the rows a test puts in its queue. */
  public static final class FakePushStream implements StatementResult.PushStream {
    private final RowType columns;
    private final BlockingQueue<Object[]> rows;
    public final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean ended;

    FakePushStream(RowType columns, BlockingQueue<Object[]> rows) {
      this.columns = columns;
      this.rows = rows;
    }

    @Override
    public RowType columns() {
      return columns;
    }

    @Override
    public StatementResult.Polled poll(int maxRows, long timeoutMillis) throws InterruptedException {
      List<Object[]> result = new ArrayList<>();
      if (ended || closed.getCount() == 0) {
        return new StatementResult.Polled(result, true);
      }
      Object[] first = rows.poll(timeoutMillis, TimeUnit.MILLISECONDS);
      Object[] row = first;
      while (row != null) {
        if (row == END) {
          ended = true;
          break;
        }
        result.add(row);
        if (result.size() >= maxRows) {
          break;
        }
        row = rows.poll();
      }
      return new StatementResult.Polled(result, ended);
    }

    public boolean isClosed() {
      return closed.getCount() == 0;
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }
}
