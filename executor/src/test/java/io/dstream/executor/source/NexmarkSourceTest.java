package io.dstream.executor.source;

import static io.dstream.executor.source.BatchRows.read;
import static io.dstream.executor.source.BatchRows.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.time.ManualClock;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import io.dstream.executor.type.Timestamps;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NexmarkSourceTest {
  private static final RowType BIDS = NexmarkSourceFactory.BID_SCHEMA;

  private final BufferAllocator allocator = new RootAllocator();
  private final SourceMetrics metrics = new SourceMetrics();
  private final NexmarkSourceFactory factory = new NexmarkSourceFactory();
  private final ManualClock clock = new ManualClock(1_000_000);

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  @Test
  void sameSeedGivesIdenticalRowsWhateverTheSplits() {
    Source source = create(BIDS, Map.of("events", "10000"));
    List<List<Object>> whole = read(source, new SourceSplit("nexmark", 0, 10_000), allocator, metrics);
    List<List<Object>> pieces = new ArrayList<>();
    pieces.addAll(read(source, new SourceSplit("nexmark", 0, 3333), allocator, metrics));
    pieces.addAll(read(source, new SourceSplit("nexmark", 3333, 9000), allocator, metrics));
    pieces.addAll(read(source, new SourceSplit("nexmark", 9000, 10_000), allocator, metrics));
    assertThat(pieces).isEqualTo(whole);
    Source again = create(BIDS, Map.of("events", "10000", "seed", "42"));
    assertThat(readAll(again, again.planBatch(0, 0, 4), allocator, metrics)).isEqualTo(whole);
    Source other = create(BIDS, Map.of("events", "10000", "seed", "7"));
    assertThat(readAll(other, other.planBatch(0, 0, 4), allocator, metrics)).isNotEqualTo(whole);
  }

  @Test
  void eventsFollowNexmarkLikeDistributions() {
    Source source = create(BIDS, Map.of());
    List<List<Object>> rows = read(source, new SourceSplit("nexmark", 0, 50_000), allocator, metrics);
    Set<Object> channels = new HashSet<>();
    int hot = 0;
    for (int i = 0; i < rows.size(); i++) {
      List<Object> row = rows.get(i);
      long auction = (Long) row.get(0);
      long bidder = (Long) row.get(1);
      long price = (Long) row.get(2);
      String channel = (String) row.get(3);
      String url = (String) row.get(4);
      String extra = (String) row.get(6);
      assertThat(auction).isBetween(900L, 1000L + i / 50);
      if (auction > 1000 + i / 50 - 100) {
        hot++;
      }
      assertThat(bidder).isBetween(1000L, 1000L + i / 200 + 100);
      assertThat(price).isBetween(100L, 1_000_000L);
      channels.add(channel);
      assertThat(url).startsWith("https://www.nexmark.com/" + channel.toLowerCase() + "/item.htm?query=1&channel_id=");
      assertThat(extra).matches("x{0,19}");
    }
    assertThat(channels).containsExactlyInAnyOrder("Google", "Facebook", "Baidu", "Apple");
    assertThat(hot).isGreaterThan(rows.size() * 85 / 100);
  }

  @Test
  void eventRateSpacesEventTimes() {
    RowType type = RowType.of(new Column("DATE_TIME", DataType.of(DataType.Kind.TIMESTAMP)),
        new Column("price", DataType.of(DataType.Kind.BIGINT)));
    Source source = create(type, Map.of("event.rate", "400", "start.time", "2026-03-01 12:00:00"));
    List<List<Object>> rows = read(source, new SourceSplit("nexmark", 0, 1000), allocator, metrics);
    long base = Timestamps.parseMillis("2026-03-01 12:00:00");
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i).get(0)).isEqualTo(base + i * 1000L / 400);
    }
    assertThat(rows.get(400).get(0)).isEqualTo(base + 1000);
  }

  @Test
  void eventsBoundEndsTheStream() {
    Source source = create(BIDS, Map.of("events", "500000"));
    SourceBatch first = source.planBatch(0, 0, 4);
    assertThat(first.exhausted()).isFalse();
    assertThat(first.splits()).hasSize(4);
    assertThat(first.splits().get(0).start()).isZero();
    assertThat(first.splits().get(3).end()).isEqualTo(NexmarkSourceFactory.DEFAULT_BATCH_EVENTS);
    assertThat(source.planBatch(1, 0, 4).exhausted()).isFalse();
    SourceBatch last = source.planBatch(2, 0, 4);
    assertThat(last.exhausted()).isTrue();
    assertThat(last.splits().get(last.splits().size() - 1).end()).isEqualTo(500_000);
    SourceBatch after = source.planBatch(3, 0, 4);
    assertThat(after.splits()).isEmpty();
    assertThat(after.exhausted()).isTrue();
  }

  @Test
  void maxRateFollowsTheClock() {
    Source source = create(BIDS, Map.of("max.rate", "100", "events", "250"));
    long start = clock.millis();
    assertThat(source.planBatch(0, start, 2).splits()).isEmpty();
    SourceBatch second = source.planBatch(1, start + 1500, 2);
    assertThat(second.splits()).containsExactly(new SourceSplit("nexmark", 0, 150));
    assertThat(second.exhausted()).isFalse();
    SourceBatch third = source.planBatch(2, start + 2000, 2);
    assertThat(third.splits()).containsExactly(new SourceSplit("nexmark", 150, 200));
    SourceBatch fourth = source.planBatch(3, start + 10_000, 2);
    assertThat(fourth.splits()).containsExactly(new SourceSplit("nexmark", 200, 250));
    assertThat(fourth.exhausted()).isTrue();
  }

  @Test
  void projectsDeclaredColumnsInAnyOrder() {
    Source all = create(BIDS, Map.of());
    RowType type = RowType.of(new Column("extra", DataType.of(DataType.Kind.VARCHAR)),
        new Column("Auction", DataType.of(DataType.Kind.BIGINT)));
    Source some = create(type, Map.of());
    List<List<Object>> full = read(all, new SourceSplit("nexmark", 100, 200), allocator, metrics);
    List<List<Object>> projected = read(some, new SourceSplit("nexmark", 100, 200), allocator, metrics);
    for (int i = 0; i < full.size(); i++) {
      assertThat(projected.get(i)).containsExactly(full.get(i).get(6), full.get(i).get(0));
    }
  }

  @Test
  void validateRejectsUnknownColumnsTypesAndOptions() {
    RowType unknown = RowType.of(new Column("seller", DataType.of(DataType.Kind.BIGINT)));
    assertThatThrownBy(() -> factory.validate("bids", unknown, Map.of()))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("Column 'seller' of nexmark stream bids is not a bid column; available: "
            + "auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, "
            + "date_time TIMESTAMP(3), extra VARCHAR")
        .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
    RowType wrongType = RowType.of(new Column("price", DataType.of(DataType.Kind.VARCHAR)));
    assertThatThrownBy(() -> factory.validate("bids", wrongType, Map.of()))
        .hasMessageContaining("must have type BIGINT, not VARCHAR");
    assertThatThrownBy(() -> factory.validate("bids", BIDS, Map.of("rate", "5")))
        .hasMessageContaining("known options: batch.events, event.rate, events, max.rate, seed, start.time");
    assertThatThrownBy(() -> factory.validate("bids", BIDS, Map.of("events", "-1")))
        .hasMessageContaining("'events'");
    assertThatThrownBy(() -> factory.validate("bids", BIDS, Map.of("start.time", "yesterday")))
        .hasMessageContaining("'start.time'");
  }

  @Test
  void aSourceSoughtToAnotherOnesPositionPlansTheSameNextBatches() {
    Map<String, String> options = Map.of("events", "100000", "batch.events", "7000");
    Source first = create(BIDS, options);
    for (int b = 0; b < 3; b++) {
      first.planBatch(b, 0, 4);
    }
    Source resumed = create(BIDS, options);
    resumed.seek(first.position().orElseThrow());
    assertThat(resumed.position()).contains("21000");
    assertThat(resumed.planBatch(3, 0, 4)).isEqualTo(first.planBatch(3, 0, 4));
  }

  private Source create(RowType type, Map<String, String> options) {
    factory.validate("bids", type, options);
    return factory.create("bids", type, options, clock);
  }
}
