package io.dstream.executor.source;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.time.Clock;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import io.dstream.executor.type.Timestamps;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The 'nexmark' connector: a generator of Nexmark-like bids, each a pure function of the seed
 * and its index, so that any range of events can be regenerated.
 *
 * <p>Options: {@code seed} (default 42), {@code events} (how many; endless when absent),
 * {@code event.rate} (events per event-time second, default 1000), {@code start.time} (event
 * time of the first event, default '2026-01-01 00:00:00'), {@code max.rate} (events per
 * wall-clock second; unlimited when absent) and {@code batch.events} (most events per batch;
 * default 200000 without max.rate, unbounded with it).
 */
public final class NexmarkSourceFactory implements SourceFactory {
  public static final String SEED = "seed";
  public static final String EVENTS = "events";
  public static final String EVENT_RATE = "event.rate";
  public static final String START_TIME = "start.time";
  public static final String MAX_RATE = "max.rate";
  public static final String BATCH_EVENTS = "batch.events";
  public static final long DEFAULT_SEED = 42;
  public static final long DEFAULT_EVENT_RATE = 1000;
  public static final String DEFAULT_START_TIME = "2026-01-01 00:00:00";
  public static final long DEFAULT_BATCH_EVENTS = 200_000;

  /** The columns a nexmark stream may declare, in generation order. */
  public static final RowType BID_SCHEMA = RowType.of(
      new Column("auction", DataType.of(DataType.Kind.BIGINT)),
      new Column("bidder", DataType.of(DataType.Kind.BIGINT)),
      new Column("price", DataType.of(DataType.Kind.BIGINT)),
      new Column("channel", DataType.of(DataType.Kind.VARCHAR)),
      new Column("url", DataType.of(DataType.Kind.VARCHAR)),
      new Column("date_time", DataType.of(DataType.Kind.TIMESTAMP)),
      new Column("extra", DataType.of(DataType.Kind.VARCHAR)));

  private static final Set<String> KNOWN =
      Set.of(SEED, EVENTS, EVENT_RATE, START_TIME, MAX_RATE, BATCH_EVENTS);

  @Override
  public String connector() {
    return "nexmark";
  }

  @Override
  public void validate(String stream, RowType rowType, Map<String, String> options) {
    fields(stream, rowType);
    config(stream, options);
  }

  @Override
  public Source create(String stream, RowType rowType, Map<String, String> options, Clock clock) {
    return new NexmarkSource(rowType, fields(stream, rowType), config(stream, options), clock.millis());
  }

  /** The index in {@link #BID_SCHEMA} of each declared column. */
  private static int[] fields(String stream, RowType rowType) {
    if (rowType.size() == 0) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "nexmark stream " + stream + " has no columns");
    }
    int[] fields = new int[rowType.size()];
    Set<Integer> seen = new HashSet<>();
    for (int c = 0; c < rowType.size(); c++) {
      Column column = rowType.column(c);
      int field = BID_SCHEMA.indexOf(column.name()).orElseThrow(() -> new EngineException(
          ErrorCode.VALIDATION_ERROR, "Column '" + column.name() + "' of nexmark stream " + stream
          + " is not a bid column; available: " + describe(BID_SCHEMA)));
      DataType expected = BID_SCHEMA.type(field);
      if (column.type().kind() != expected.kind()) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "Column '" + column.name()
            + "' of nexmark stream " + stream + " must have type " + expected.sqlName()
            + ", not " + column.type().sqlName() + "; available: " + describe(BID_SCHEMA));
      }
      if (!seen.add(field)) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "Column '" + column.name()
            + "' of nexmark stream " + stream + " is declared twice");
      }
      fields[c] = field;
    }
    return fields;
  }

  private static NexmarkSource.Config config(String stream, Map<String, String> options) {
    SourceRegistry.requireKnownOptions("nexmark", stream, options, KNOWN);
    Map<String, String> normalized = SourceRegistry.normalize(options);
    long seed = SourceRegistry.longOption(stream, normalized, SEED, DEFAULT_SEED,
        Long.MIN_VALUE, Long.MAX_VALUE);
    long events = SourceRegistry.longOption(stream, normalized, EVENTS, NexmarkSource.ENDLESS,
        0, Long.MAX_VALUE);
    long eventRate = SourceRegistry.longOption(stream, normalized, EVENT_RATE, DEFAULT_EVENT_RATE,
        1, 1_000_000_000L);
    long maxRate = SourceRegistry.longOption(stream, normalized, MAX_RATE, 0, 1, 1_000_000_000_000L);
    long batchEvents = SourceRegistry.longOption(stream, normalized, BATCH_EVENTS,
        maxRate > 0 ? NexmarkSource.MAX_BATCH_EVENTS : DEFAULT_BATCH_EVENTS,
        1, NexmarkSource.MAX_BATCH_EVENTS);
    String startText = normalized.getOrDefault(START_TIME, DEFAULT_START_TIME);
    long startMillis;
    try {
      startMillis = Timestamps.parseMillis(startText.trim());
    } catch (IllegalArgumentException e) {
      throw SourceRegistry.invalidOption(stream, START_TIME, startText, "a timestamp 'YYYY-MM-DD HH:MM:SS[.fff]'");
    }
    return new NexmarkSource.Config(seed, events, eventRate, startMillis, maxRate, batchEvents);
  }

  private static String describe(RowType rowType) {
    List<String> parts = new ArrayList<>();
    for (Column column : rowType.columns()) {
      parts.add(column.name() + " " + column.type().sqlName().toUpperCase(Locale.ROOT));
    }
    return String.join(", ", parts);
  }
}
