package io.dstream.executor.kernel;

import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.BOOLEAN;
import static io.dstream.executor.kernel.TestBatches.DOUBLE;
import static io.dstream.executor.kernel.TestBatches.TIMESTAMP;
import static io.dstream.executor.kernel.TestBatches.VARCHAR;
import static io.dstream.executor.kernel.TestBatches.batch;
import static io.dstream.executor.kernel.TestBatches.dec;
import static io.dstream.executor.kernel.TestBatches.row;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static io.dstream.executor.kernel.TestBatches.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.plan.AggregateCall;
import io.dstream.executor.plan.AggregateCall.Kind;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HashAggregatorTest {
  private static final DataType PRICE = DataType.decimal(10, 2);
  private static final DataType PRICE_SUM = DataType.decimal(19, 2);
  /** Input: a string key, then a BIGINT, a DOUBLE and a DECIMAL argument, then a long key. */
  private static final RowType INPUT = rowType("k", VARCHAR, "n", BIGINT, "x", DOUBLE, "d", PRICE, "g", BIGINT);

  private static final List<AggregateCall> ALL = List.of(
      new AggregateCall(Kind.COUNT, -1, null, BIGINT, "cnt"),
      new AggregateCall(Kind.COUNT, 1, BIGINT, BIGINT, "cnt_n"),
      new AggregateCall(Kind.SUM, 1, BIGINT, BIGINT, "sum_n"),
      new AggregateCall(Kind.MIN, 1, BIGINT, BIGINT, "min_n"),
      new AggregateCall(Kind.MAX, 1, BIGINT, BIGINT, "max_n"),
      new AggregateCall(Kind.AVG, 1, BIGINT, BIGINT, "avg_n"),
      new AggregateCall(Kind.SUM, 2, DOUBLE, DOUBLE, "sum_x"),
      new AggregateCall(Kind.MIN, 2, DOUBLE, DOUBLE, "min_x"),
      new AggregateCall(Kind.MAX, 2, DOUBLE, DOUBLE, "max_x"),
      new AggregateCall(Kind.AVG, 2, DOUBLE, DOUBLE, "avg_x"),
      new AggregateCall(Kind.SUM, 3, PRICE, PRICE_SUM, "sum_d"),
      new AggregateCall(Kind.MIN, 3, PRICE, PRICE, "min_d"),
      new AggregateCall(Kind.MAX, 3, PRICE, PRICE, "max_d"),
      new AggregateCall(Kind.AVG, 3, PRICE, PRICE, "avg_d"),
      new AggregateCall(Kind.AVG, 1, BIGINT, DOUBLE, "avg_n_double"),
      new AggregateCall(Kind.COUNT, 0, VARCHAR, BIGINT, "cnt_k"));

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  private static RowType outputType(RowType keys, List<AggregateCall> aggregates) {
    List<Column> columns = new ArrayList<>(keys.columns());
    for (AggregateCall call : aggregates) {
      columns.add(new Column(call.name(), call.resultType()));
    }
    return new RowType(columns);
  }

  private static RowType keyType(RowType input, List<Integer> keys) {
    List<Column> columns = new ArrayList<>();
    for (int k : keys) {
      columns.add(input.column(k));
    }
    return new RowType(columns);
  }

  /** Aggregates {@code rows} in one aggregator and returns its final rows. */
  private List<List<Object>> aggregate(RowType input, List<Integer> keys, List<AggregateCall> calls,
      List<List<Object>> rows) {
    RowType keyType = keyType(input, keys);
    HashAggregator agg = new HashAggregator(types(keyType), calls);
    try (ColumnBatch in = batch(allocator, input, rows)) {
      agg.addRaw(in, keys);
    }
    try (ColumnBatch out = agg.finalBatch(outputType(keyType, calls), agg.allGroups(), allocator)) {
      return rows(out);
    }
  }

  private static List<DataType> types(RowType type) {
    return type.columns().stream().map(Column::type).toList();
  }

  @Test
  void everyAggregateOverBigintDoubleAndDecimalIncludingNullKeysAndNullArguments() {
    List<List<Object>> out = aggregate(INPUT, List.of(0), ALL, List.of(
        row("a", 1L, 1.5, dec("1.10"), 0L),
        row("a", null, null, null, 0L),
        row("b", 5L, -2.0, dec("2.00"), 0L),
        row(null, 7L, 0.25, dec("3.33"), 0L),
        row("a", 4L, 2.5, dec("1.15"), 0L),
        row(null, null, null, null, 0L),
        row("c", null, null, null, 0L)));
    assertThat(out).containsExactly(
        row("a", 3L, 2L, 5L, 1L, 4L, 2L, 4.0, 1.5, 2.5, 2.0, dec("2.25"), dec("1.10"), dec("1.15"), dec("1.13"), 2.5, 3L),
        row("b", 1L, 1L, 5L, 5L, 5L, 5L, -2.0, -2.0, -2.0, -2.0, dec("2.00"), dec("2.00"), dec("2.00"), dec("2.00"), 5.0,
            1L),
        row(null, 2L, 1L, 7L, 7L, 7L, 7L, 0.25, 0.25, 0.25, 0.25, dec("3.33"), dec("3.33"), dec("3.33"), dec("3.33"),
            7.0, 0L),
        row("c", 1L, 0L, null, null, null, null, null, null, null, null, null, null, null, null, null, 1L));
  }

  @Test
  void averagesRoundHalfUpForDecimalsAndTruncateForIntegers() {
    List<AggregateCall> calls = List.of(new AggregateCall(Kind.AVG, 1, BIGINT, BIGINT, "avg_n"),
        new AggregateCall(Kind.AVG, 3, PRICE, PRICE, "avg_d"),
        new AggregateCall(Kind.AVG, 3, PRICE, DataType.decimal(19, 4), "avg_d4"),
        new AggregateCall(Kind.SUM, 3, PRICE, DataType.decimal(19, 1), "sum_d1"));
    assertThat(aggregate(INPUT, List.of(0), calls, List.of(
        row("neg", -5L, null, dec("-0.01"), 0L),
        row("neg", -2L, null, dec("-0.04"), 0L))))
        .containsExactly(row("neg", -3L, dec("-0.03"), dec("-0.0250"), dec("-0.1")));
  }

  @Test
  void keysOfEveryPhysicalKindIncludingNullsGroupTogether() {
    RowType input = rowType("l", BIGINT, "s", VARCHAR, "d", DOUBLE, "b", BOOLEAN);
    List<AggregateCall> count = List.of(new AggregateCall(Kind.COUNT, -1, null, BIGINT, "cnt"));
    List<List<Object>> out = aggregate(input, List.of(0, 1, 2, 3), count, List.of(
        row(1L, "a", 1.5, true),
        row(1L, "a", 1.5, true),
        row(null, "a", 1.5, true),
        row(1L, null, 1.5, true),
        row(1L, "a", null, true),
        row(1L, "a", 1.5, null),
        row(1L, "a", -0.0, false),
        row(1L, "a", 0.0, false),
        row(null, null, null, null),
        row(null, null, null, null),
        row(0L, "", 0.0, false)));
    assertThat(out).containsExactly(
        row(1L, "a", 1.5, true, 2L),
        row(null, "a", 1.5, true, 1L),
        row(1L, null, 1.5, true, 1L),
        row(1L, "a", null, true, 1L),
        row(1L, "a", 1.5, null, 1L),
        row(1L, "a", 0.0, false, 2L),
        row(null, null, null, null, 2L),
        row(0L, "", 0.0, false, 1L));
  }

  @Test
  void filteredAggregatesCountOnlyRowsWhereTheFilterIsTrue() {
    RowType input = rowType("k", VARCHAR, "n", BIGINT, "x", DOUBLE, "f", BOOLEAN);
    List<AggregateCall> calls = List.of(new AggregateCall(Kind.COUNT, -1, null, BIGINT, "cnt", 3),
        new AggregateCall(Kind.COUNT, 1, BIGINT, BIGINT, "cnt_n", 3),
        new AggregateCall(Kind.SUM, 1, BIGINT, BIGINT, "sum_n", 3),
        new AggregateCall(Kind.MIN, 2, DOUBLE, DOUBLE, "min_x", 3),
        new AggregateCall(Kind.MAX, 1, BIGINT, BIGINT, "max_n", 3),
        new AggregateCall(Kind.AVG, 2, DOUBLE, DOUBLE, "avg_x", 3),
        new AggregateCall(Kind.COUNT, -1, null, BIGINT, "all"));
    assertThat(aggregate(input, List.of(0), calls, List.of(
        row("a", 1L, 1.0, true),
        row("a", 2L, 2.0, false),
        row("a", null, 4.0, true),
        row("a", 8L, 8.0, null),
        row("b", 5L, 5.0, false),
        row("b", 6L, 6.0, null))))
        .containsExactly(row("a", 2L, 1L, 1L, 1.0, 1L, 2.5, 4L), row("b", 0L, 0L, null, null, null, null, 2L));
  }

  @Test
  void distinctAggregatesSurvivePartialsShuffleAndStateRoundTrips() {
    RowType input = rowType("k", VARCHAR, "n", BIGINT, "x", DOUBLE, "f", BOOLEAN);
    List<AggregateCall> calls = List.of(new AggregateCall(Kind.COUNT, -1, null, BIGINT, "cnt"),
        new AggregateCall(Kind.COUNT, 1, BIGINT, BIGINT, "dn", -1, true),
        new AggregateCall(Kind.SUM, 1, BIGINT, BIGINT, "sdn", -1, true),
        new AggregateCall(Kind.AVG, 2, DOUBLE, DOUBLE, "adx", -1, true),
        new AggregateCall(Kind.COUNT, 1, BIGINT, BIGINT, "dnf", 3, true),
        new AggregateCall(Kind.SUM, 1, BIGINT, BIGINT, "sn"));
    RowType keyType = rowType("k", VARCHAR);
    RowType stateType = HashAggregator.stateType(keyType, calls);
    // keys, one channel per distinct (argument, filter), then the accumulators of COUNT(*) and SUM
    assertThat(stateType.size()).isEqualTo(1 + 3 + 4);
    List<List<Object>> first = List.of(row("a", 1L, 1.0, true), row("a", 1L, 1.0, false), row("a", 2L, 2.0, null),
        row("b", null, null, true), row("a", null, 4.0, true));
    List<List<Object>> second = List.of(row("a", 2L, 1.0, true), row("a", 3L, 8.0, false), row("b", 5L, 5.0, true),
        row("b", 5L, 5.0, true));
    HashAggregator merged = new HashAggregator(types(keyType), calls);
    for (List<List<Object>> rows : List.of(first, second)) {
      HashAggregator partial = new HashAggregator(types(keyType), calls);
      try (ColumnBatch in = batch(allocator, input, rows)) {
        partial.addRaw(in, List.of(0));
      }
      // every state row of a group goes to the partition of its group keys
      Map<Object, Integer> partitionOfKey = new LinkedHashMap<>();
      try (ColumnBatch state = partial.stateBatch(stateType, partial.allGroups(), allocator)) {
        List<List<Object>> stateRows = rows(state);
        for (int g = 0; g < stateRows.size(); g++) {
          int p = partial.partitionOf(g, 7);
          assertThat(partitionOfKey.computeIfAbsent(stateRows.get(g).get(0), key -> p)).isEqualTo(p);
        }
        merged.addPartial(state);
      }
    }
    HashAggregator restored = new HashAggregator(types(keyType), calls);
    try (ColumnBatch state = merged.stateBatch(stateType, merged.allGroups(), allocator)) {
      restored.addPartial(state);
    }
    try (ColumnBatch out = restored.finalBatch(outputType(keyType, calls), restored.allGroups(), allocator)) {
      assertThat(rows(out)).containsExactlyInAnyOrder(
          row("a", 6L, 3L, 6L, 3.75, 2L, 9L),
          row("b", 3L, 1L, 5L, 5.0, 1L, 10L));
    }
  }

  @Test
  void keyColumnsMayComeInAnyOrderOfTheInput() {
    List<AggregateCall> sum = List.of(new AggregateCall(Kind.SUM, 1, BIGINT, BIGINT, "s"));
    assertThat(aggregate(INPUT, List.of(4, 0), sum, List.of(
        row("a", 1L, null, null, 2L), row("a", 2L, null, null, 1L), row("a", 3L, null, null, 2L))))
        .containsExactly(row(2L, "a", 4L), row(1L, "a", 2L));
  }

  @Test
  void manyDistinctKeysGrowTheTable() {
    RowType input = rowType("id", BIGINT, "name", VARCHAR, "n", BIGINT);
    List<AggregateCall> calls = List.of(new AggregateCall(Kind.COUNT, -1, null, BIGINT, "cnt"),
        new AggregateCall(Kind.SUM, 2, BIGINT, BIGINT, "s"));
    int keys = 100_000;
    HashAggregator byId = new HashAggregator(List.of(BIGINT), calls);
    HashAggregator byName = new HashAggregator(List.of(VARCHAR), calls);
    for (int pass = 0; pass < 2; pass++) {
      List<List<Object>> rows = new ArrayList<>(keys);
      for (long i = 0; i < keys; i++) {
        long id = pass == 0 ? i : keys - 1 - i;
        rows.add(row(id * 7919, "k" + id, id));
      }
      try (ColumnBatch in = batch(allocator, input, rows)) {
        byId.addRaw(in, List.of(0));
        byName.addRaw(in, List.of(1));
      }
    }
    assertThat(byId.groupCount()).isEqualTo(keys);
    assertThat(byName.groupCount()).isEqualTo(keys);
    try (ColumnBatch ids = byId.finalBatch(rowType("id", BIGINT, "cnt", BIGINT, "s", BIGINT), byId.allGroups(),
        allocator);
        ColumnBatch names = byName.finalBatch(rowType("name", VARCHAR, "cnt", BIGINT, "s", BIGINT),
            byName.allGroups(), allocator)) {
      for (int g = 0; g < keys; g++) {
        // groups are numbered in first-seen order
        assertThat(ids.longs(0).get(g)).isEqualTo(g * 7919L);
        assertThat(ids.longs(1).get(g)).isEqualTo(2);
        assertThat(ids.longs(2).get(g)).isEqualTo(2L * g);
        assertThat(names.longs(1).get(g)).isEqualTo(2);
        assertThat(names.longs(2).get(g)).isEqualTo(2L * g);
      }
      assertThat(TestBatches.value(names, 0, keys - 1)).isEqualTo("k" + (keys - 1));
    }
  }

  /** Random rows with few keys, many NULLs and values whose double sums are exact. */
  private static List<List<Object>> randomRows(Random random, int count) {
    String[] names = {"a", "b", "c", "d", null};
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(row(
          names[random.nextInt(names.length)],
          random.nextInt(4) == 0 ? null : (long) random.nextInt(1000) + 1,
          random.nextInt(4) == 0 ? null : (random.nextInt(400) + 1) * 0.25,
          random.nextInt(4) == 0 ? null : BigDecimal.valueOf(random.nextInt(100_000) + 1, 2),
          random.nextInt(3) == 0 ? null : (long) random.nextInt(20)));
    }
    return rows;
  }

  @Test
  void mergingPartialStatesEqualsAggregatingAllRows() {
    Random random = new Random(42);
    List<Integer> keys = List.of(0, 4);
    RowType keyType = keyType(INPUT, keys);
    RowType stateType = HashAggregator.stateType(keyType, ALL);
    RowType outputType = outputType(keyType, ALL);
    for (int round = 0; round < 5; round++) {
      List<List<Object>> rows = randomRows(random, 2000);
      int cut = random.nextInt(rows.size() + 1);
      HashAggregator whole = new HashAggregator(types(keyType), ALL);
      HashAggregator first = new HashAggregator(types(keyType), ALL);
      HashAggregator second = new HashAggregator(types(keyType), ALL);
      HashAggregator merged = new HashAggregator(types(keyType), ALL);
      try (ColumnBatch all = batch(allocator, INPUT, rows);
          ColumnBatch head = batch(allocator, INPUT, rows.subList(0, cut));
          ColumnBatch tail = batch(allocator, INPUT, rows.subList(cut, rows.size()))) {
        whole.addRaw(all, keys);
        first.addRaw(head, keys);
        second.addRaw(tail, keys);
      }
      try (ColumnBatch a = first.stateBatch(stateType, first.allGroups(), allocator);
          ColumnBatch b = second.stateBatch(stateType, second.allGroups(), allocator)) {
        assertThat(a.rowType()).isEqualTo(stateType);
        merged.addPartial(a);
        merged.addPartial(b);
      }
      try (ColumnBatch expected = whole.finalBatch(outputType, whole.allGroups(), allocator);
          ColumnBatch actual = merged.finalBatch(outputType, merged.allGroups(), allocator)) {
        assertThat(rows(actual)).containsExactlyInAnyOrderElementsOf(rows(expected));
        assertThat(rows(expected)).containsExactlyInAnyOrderElementsOf(reference(rows, keys, ALL));
      }
    }
  }

  @Test
  void mergingAnEmptyPartialDoesNotDisturbMinAndMax() {
    List<Integer> keys = List.of(0);
    RowType keyType = keyType(INPUT, keys);
    RowType stateType = HashAggregator.stateType(keyType, ALL);
    HashAggregator nullsOnly = new HashAggregator(types(keyType), ALL);
    HashAggregator values = new HashAggregator(types(keyType), ALL);
    HashAggregator merged = new HashAggregator(types(keyType), ALL);
    try (ColumnBatch a = batch(allocator, INPUT, List.of(row("a", null, null, null, 0L)));
        ColumnBatch b = batch(allocator, INPUT, List.of(row("a", 5L, 2.5, dec("5.00"), 0L)))) {
      nullsOnly.addRaw(a, keys);
      values.addRaw(b, keys);
    }
    try (ColumnBatch a = nullsOnly.stateBatch(stateType, nullsOnly.allGroups(), allocator);
        ColumnBatch b = values.stateBatch(stateType, values.allGroups(), allocator)) {
      merged.addPartial(a);
      merged.addPartial(b);
      merged.addPartial(a);
    }
    try (ColumnBatch out = merged.finalBatch(outputType(keyType, ALL), merged.allGroups(), allocator)) {
      assertThat(rows(out)).containsExactly(row("a", 3L, 1L, 5L, 5L, 5L, 5L, 2.5, 2.5, 2.5, 2.5,
          dec("5.00"), dec("5.00"), dec("5.00"), dec("5.00"), 5.0, 3L));
    }
  }

  @Test
  void stateTypeHasAValueAndACountColumnPerAggregate() {
    RowType keys = rowType("k", VARCHAR);
    RowType state = HashAggregator.stateType(keys, List.of(new AggregateCall(Kind.COUNT, -1, null, BIGINT, "c"),
        new AggregateCall(Kind.SUM, 3, PRICE, PRICE_SUM, "s"), new AggregateCall(Kind.AVG, 2, DOUBLE, DOUBLE, "a")));
    assertThat(state).isEqualTo(rowType("k", VARCHAR, "$v0", BIGINT, "$c0", BIGINT, "$v1", PRICE, "$c1", BIGINT,
        "$v2", DOUBLE, "$c2", BIGINT));
  }

  @Test
  void aggregatesOtherThanCountOverStringsAreUnsupported() {
    assertThatThrownBy(() -> new HashAggregator(List.of(BIGINT),
        List.of(new AggregateCall(Kind.MIN, 0, VARCHAR, VARCHAR, "m"))))
        .isInstanceOf(EngineException.class)
        .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED));
  }

  @Test
  void groupsWhereSplitsClosedAndOpenWindowsByTheWatermark() {
    RowType input = rowType("auction", BIGINT, "window_start", TIMESTAMP);
    RowType keyType = input;
    List<AggregateCall> count = List.of(new AggregateCall(Kind.COUNT, -1, null, BIGINT, "cnt"));
    HashAggregator agg = new HashAggregator(types(keyType), count);
    try (ColumnBatch in = batch(allocator, input, List.of(row(1L, 0L), row(2L, 10L), row(1L, 20L), row(1L, 0L),
        row(3L, -10L)))) {
      agg.addRaw(in, List.of(0, 1));
    }
    // windows of 10: a group is closed once window_start + 10 <= watermark
    int[] closed = agg.groupsWhere(1, 10, 20, true);
    int[] open = agg.groupsWhere(1, 10, 20, false);
    RowType out = outputType(keyType, count);
    try (ColumnBatch c = agg.finalBatch(out, closed, allocator);
        ColumnBatch o = agg.finalBatch(out, open, allocator)) {
      assertThat(rows(c)).containsExactly(row(1L, 0L, 2L), row(2L, 10L, 1L), row(3L, -10L, 1L));
      assertThat(rows(o)).containsExactly(row(1L, 20L, 1L));
    }
    assertThat(agg.groupsWhere(1, 10, Long.MIN_VALUE, true)).isEmpty();
    assertThat(agg.groupsWhere(1, 10, Long.MIN_VALUE, false)).containsExactly(agg.allGroups());
    assertThat(agg.groupsWhere(1, 10, Long.MAX_VALUE, true)).containsExactly(agg.allGroups());
    assertThat(agg.groupsWhere(1, 0, 10, true)).hasSize(3);
  }

  @Test
  void partitionOfIsStableAcrossAggregatorsAndWithinRange() {
    RowType input = rowType("k", VARCHAR, "n", BIGINT);
    List<AggregateCall> count = List.of(new AggregateCall(Kind.COUNT, -1, null, BIGINT, "cnt"));
    List<List<Object>> rows = new ArrayList<>();
    for (long i = 0; i < 1000; i++) {
      rows.add(row(i % 10 == 0 ? null : "key" + i, i % 7 == 0 ? null : i * 31));
    }
    List<List<Object>> reversed = new ArrayList<>(rows);
    java.util.Collections.reverse(reversed);
    HashAggregator forward = new HashAggregator(List.of(VARCHAR, BIGINT), count);
    HashAggregator backward = new HashAggregator(List.of(VARCHAR, BIGINT), count);
    try (ColumnBatch a = batch(allocator, input, rows); ColumnBatch b = batch(allocator, input, reversed)) {
      forward.addRaw(a, List.of(0, 1));
      backward.addRaw(b, List.of(0, 1));
    }
    RowType out = outputType(input, count);
    for (int partitions : new int[] {1, 2, 7, 64}) {
      Map<List<Object>, Integer> forwardParts = partitions(forward, out, partitions);
      Map<List<Object>, Integer> backwardParts = partitions(backward, out, partitions);
      assertThat(forwardParts.size()).isEqualTo(forward.groupCount()).isEqualTo(986);
      assertThat(forwardParts.equals(backwardParts)).as("same partition for each key").isTrue();
      assertThat(forwardParts.values()).allSatisfy(p -> assertThat(p).isBetween(0, partitions - 1));
      assertThat(new HashSet<>(forwardParts.values())).hasSize(partitions);
    }
  }

  private Map<List<Object>, Integer> partitions(HashAggregator agg, RowType out, int partitions) {
    Map<List<Object>, Integer> byKey = new LinkedHashMap<>();
    try (ColumnBatch batch = agg.finalBatch(out, agg.allGroups(), allocator)) {
      List<List<Object>> rows = rows(batch);
      for (int g = 0; g < rows.size(); g++) {
        int p = agg.partitionOf(g, partitions);
        assertThat(agg.partitionOf(g, partitions)).isEqualTo(p);
        byKey.put(rows.get(g).subList(0, 2), p);
      }
    }
    return byKey;
  }

  // ---- a plain reference implementation of GROUP BY for the random tests ----

  private static List<List<Object>> reference(List<List<Object>> rows, List<Integer> keys, List<AggregateCall> calls) {
    Map<List<Object>, List<List<Object>>> groups = new LinkedHashMap<>();
    for (List<Object> r : rows) {
      List<Object> key = new ArrayList<>();
      for (int k : keys) {
        key.add(r.get(k));
      }
      groups.computeIfAbsent(key, x -> new ArrayList<>()).add(r);
    }
    List<List<Object>> out = new ArrayList<>();
    Set<List<Object>> seen = new HashSet<>();
    for (Map.Entry<List<Object>, List<List<Object>>> e : groups.entrySet()) {
      assertThat(seen.add(e.getKey())).isTrue();
      List<Object> result = new ArrayList<>(e.getKey());
      for (AggregateCall call : calls) {
        result.add(referenceValue(call, e.getValue()));
      }
      out.add(result);
    }
    return out;
  }

  private static Object referenceValue(AggregateCall call, List<List<Object>> rows) {
    if (call.argument() < 0) {
      return (long) rows.size();
    }
    List<Object> values = new ArrayList<>();
    for (List<Object> r : rows) {
      if (r.get(call.argument()) != null) {
        values.add(r.get(call.argument()));
      }
    }
    if (call.kind() == Kind.COUNT) {
      return (long) values.size();
    }
    if (values.isEmpty()) {
      return null;
    }
    DataType result = call.resultType();
    return switch (call.kind()) {
      case MIN -> values.stream().map(v -> (Comparable) v).min(HashAggregatorTest::compare).orElseThrow();
      case MAX -> values.stream().map(v -> (Comparable) v).max(HashAggregatorTest::compare).orElseThrow();
      case SUM, AVG -> {
        BigDecimal sum = BigDecimal.ZERO;
        for (Object v : values) {
          sum = sum.add(v instanceof BigDecimal d ? d : new BigDecimal(v.toString()));
        }
        BigDecimal n = BigDecimal.valueOf(values.size());
        if (result.physical() == DataType.Physical.DOUBLE) {
          yield call.kind() == Kind.SUM ? sum.doubleValue() : sum.doubleValue() / values.size();
        }
        if (result.kind() == DataType.Kind.DECIMAL) {
          yield call.kind() == Kind.SUM ? sum.setScale(result.scale(), RoundingMode.HALF_UP)
              : sum.divide(n, result.scale(), RoundingMode.HALF_UP);
        }
        yield call.kind() == Kind.SUM ? sum.longValueExact() : sum.divide(n, 0, RoundingMode.DOWN).longValueExact();
      }
      case COUNT -> throw new IllegalStateException();
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Comparable a, Comparable b) {
    return a.compareTo(b);
  }
}
