package io.dstream.executor.codec;

import static io.dstream.executor.codec.Plans.BIGINT;
import static io.dstream.executor.codec.Plans.DOUBLE;
import static io.dstream.executor.codec.Plans.VARCHAR;
import static io.dstream.executor.codec.Plans.call;
import static io.dstream.executor.codec.Plans.literal;
import static io.dstream.executor.codec.Plans.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.plan.AggregateCall;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.scheduler.Task;
import io.dstream.executor.scheduler.TaskResult;
import io.dstream.executor.source.SourceSplit;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Kind;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlanCodecTest {
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  @Test
  void everyDataTypeRoundTrips() {
    for (Kind kind : Kind.values()) {
      for (DataType type : List.of(DataType.of(kind), DataType.of(kind).withNullable(false),
          new DataType(kind, Integer.MAX_VALUE, -3, true))) {
        assertThat(PlanCodec.decodeDataType(PlanCodec.encode(type))).isEqualTo(type);
      }
    }
    DataType decimal = DataType.decimal(38, 10);
    assertThat(PlanCodec.decodeDataType(PlanCodec.encode(decimal))).isEqualTo(decimal);
  }

  @Test
  void rowTypesRoundTripIncludingEmptyAndUnicodeNames() {
    RowType empty = new RowType(List.of());
    RowType unicode = Plans.rowType("", BIGINT, "naïve “quoted” 😀", VARCHAR, "d", DataType.decimal(12, 4));
    assertThat(PlanCodec.decodeRowType(PlanCodec.encode(empty))).isEqualTo(empty);
    assertThat(PlanCodec.decodeRowType(PlanCodec.encode(unicode))).isEqualTo(unicode);
    assertThat(PlanCodec.decodeRowType(PlanCodec.encode(Plans.BIDS))).isEqualTo(Plans.BIDS);
  }

  @Test
  void expressionUsingEveryOperatorRoundTrips() {
    Expr expr = Plans.everyOperator();
    assertThat(operators(expr)).isEqualTo(EnumSet.allOf(Operator.class));
    assertThat(PlanCodec.decodeExpr(PlanCodec.encode(expr))).isEqualTo(expr);
  }

  @Test
  void functionCallsRoundTrip() {
    Expr inner = new Expr.FunctionCall("inner", "com.example.Inner", List.of(), List.of(), VARCHAR);
    Expr call = new Expr.FunctionCall("bucket", "com.example.Bucket$Nested", List.of("long", "java.lang.String"),
        List.of(ref(0, BIGINT), inner), BIGINT.withNullable(false));
    Expr nested = call(Operator.PLUS, BIGINT, call, literal(1L, BIGINT));
    assertThat(PlanCodec.decodeExpr(PlanCodec.encode(nested))).isEqualTo(nested);
  }

  @Test
  void literalsKeepTheirPhysicalJavaClass() {
    List<Expr.Literal> literals = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      DataType type = DataType.of(kind);
      literals.add(new Expr.Literal(null, type));
      literals.add(new Expr.Literal(switch (kind.physical()) {
        case LONG -> Long.MIN_VALUE + kind.ordinal();
        case DOUBLE -> -1.5e300;
        case BOOLEAN -> Boolean.TRUE;
        case STRING -> "it's ü 😀";
      }, type));
    }
    literals.add(new Expr.Literal(12_345L, DataType.decimal(10, 2)));
    literals.add(new Expr.Literal(false, DataType.of(Kind.BOOLEAN)));
    literals.add(new Expr.Literal(Double.POSITIVE_INFINITY, DataType.of(Kind.REAL)));
    literals.add(new Expr.Literal(-0.0, DOUBLE));
    literals.add(new Expr.Literal("", VARCHAR));
    for (Expr.Literal literal : literals) {
      Expr.Literal decoded = (Expr.Literal) PlanCodec.decodeExpr(PlanCodec.encode(literal));
      assertThat(decoded).isEqualTo(literal);
      if (literal.value() != null) {
        assertThat(decoded.value()).isExactlyInstanceOf(literal.value().getClass());
      }
    }
  }

  @Test
  void doubleLiteralKeepsItsExactBits() {
    double nanWithPayload = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);
    Expr.Literal decoded = (Expr.Literal) PlanCodec.decodeExpr(PlanCodec.encode(literal(nanWithPayload, DOUBLE)));
    assertThat(Double.doubleToRawLongBits((Double) decoded.value())).isEqualTo(0x7ff8_0000_dead_beefL);
  }

  @Test
  void windowedPlanRoundTripsWithEveryNodeKind() {
    PlanNode plan = Plans.windowedPlan();
    PlanNode decoded = PlanCodec.decodePlan(PlanCodec.encode(plan));
    assertThat(decoded).isEqualTo(plan);
    assertThat(nodeKinds(decoded)).containsExactly("Project", "Aggregate", "Project", "WindowAssign", "Filter", "Scan");
  }

  @Test
  void sessionAggregateRoundTrips() {
    PlanNode.Scan scan = new PlanNode.Scan("bids", Plans.BIDS, 5, 1000);
    PlanNode plan = new PlanNode.SessionAggregate(scan, List.of(0, 3), 5, 5000, List.of(
        new AggregateCall(AggregateCall.Kind.COUNT, -1, null, BIGINT, "n"),
        new AggregateCall(AggregateCall.Kind.MAX, 2, Plans.PRICE, Plans.PRICE, "top")),
        Plans.rowType("auction", BIGINT, "channel", VARCHAR, "window_start", Plans.TIMESTAMP,
            "window_end", Plans.TIMESTAMP, "n", BIGINT, "top", Plans.PRICE));
    assertThat(PlanCodec.decodePlan(PlanCodec.encode(plan))).isEqualTo(plan);
  }

  @Test
  void topNAndDeduplicateRoundTrip() {
    PlanNode.Scan scan = new PlanNode.Scan("bids", Plans.BIDS, 5, 1000);
    RowType windowed = Plans.BIDS.append(Plans.rowType("window_start", Plans.TIMESTAMP, "window_end", Plans.TIMESTAMP));
    PlanNode.WindowAssign window = new PlanNode.WindowAssign(scan, 5, 10_000, 10_000, 0, true, windowed);
    RowType ranked = windowed.append(Plans.rowType("rn", BIGINT));
    PlanNode topN = new PlanNode.TopN(window, List.of(6, 7, 0), List.of(new PlanNode.SortKey(2, true, true),
        new PlanNode.SortKey(3, false, false)), 3, 6, 10_000, ranked);
    assertThat(PlanCodec.decodePlan(PlanCodec.encode(topN))).isEqualTo(topN);
    PlanNode dedup = new PlanNode.Deduplicate(scan, List.of(0, 3), 5, -1, 0,
        Plans.BIDS.append(Plans.rowType("rn", BIGINT)));
    assertThat(PlanCodec.decodePlan(PlanCodec.encode(dedup))).isEqualTo(dedup);
    PlanNode windowedDedup = new PlanNode.Deduplicate(window, List.of(7, 0), 5, 7, 0, ranked);
    assertThat(PlanCodec.decodePlan(PlanCodec.encode(windowedDedup))).isEqualTo(windowedDedup);
  }

  @Test
  void scanAloneRoundTrips() {
    PlanNode scan = new PlanNode.Scan("s", Plans.BIDS, -1, 0);
    assertThat(PlanCodec.decodePlan(PlanCodec.encode(scan))).isEqualTo(scan);
  }

  @Test
  void queryDagRoundTripsAndSharesInputsAsTheOriginalDoes() {
    QueryDag dag = QueryDag.of("q1", Plans.windowedPlan(), 8);
    assertThat(dag.mapOperators()).hasSize(3);
    assertThat(dag.reduceOperators()).hasSize(1);

    byte[] bytes = PlanCodec.encode(dag);
    QueryDag decoded = PlanCodec.decodeQueryDag(bytes);

    assertThat(decoded).isEqualTo(dag);
    assertThat(decoded.mapOperators().get(1).inputs().get(0)).isSameAs(decoded.mapOperators().get(0));
    assertThat(decoded.mapOperators().get(0).inputs().get(0)).isSameAs(decoded.scan());
    assertThat(decoded.aggregate().input()).isSameAs(decoded.mapOperators().get(2));
    assertThat(decoded.reduceOperators().get(0).inputs().get(0)).isSameAs(decoded.aggregate());
    // Each node written once: the DAG is barely larger than the plan alone.
    assertThat(bytes.length).isLessThan(PlanCodec.encode(Plans.windowedPlan()).length + 200);
  }

  @Test
  void queryDagWithoutShuffleRoundTrips() {
    PlanNode.Scan scan = new PlanNode.Scan("bids", Plans.BIDS, 5, 0);
    PlanNode plan = new PlanNode.Filter(scan, call(Operator.IS_NOT_NULL, Plans.BOOLEAN, ref(0, BIGINT)));
    QueryDag dag = QueryDag.of("q2", plan, 1);
    assertThat(dag.aggregate()).isNull();
    assertThat(PlanCodec.decodeQueryDag(PlanCodec.encode(dag))).isEqualTo(dag);

    QueryDag bare = new QueryDag("q3", scan, List.of(), null, List.of(), 0, null);
    assertThat(PlanCodec.decodeQueryDag(PlanCodec.encode(bare))).isEqualTo(bare);
  }

  @Test
  void cumulativeWindowRoundTripsAndItsSizeMustBeAMultipleOfItsStep() {
    PlanNode.Scan scan = new PlanNode.Scan("bids", Plans.BIDS, 5, 1000);
    RowType windowed = Plans.BIDS.append(Plans.rowType("window_start", Plans.TIMESTAMP, "window_end", Plans.TIMESTAMP));
    PlanNode.WindowAssign cumulate = new PlanNode.WindowAssign(scan, 5, 6000, 2000, 500, true, true, windowed);
    assertThat(PlanCodec.decodePlan(PlanCodec.encode(cumulate))).isEqualTo(cumulate);
    assertThatThrownBy(
        () -> new PlanNode.WindowAssign(scan, 5, 5000, 2000, 0, true, true, windowed))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a multiple of its step");
  }

  @Test
  void aggregateCallsRoundTrip() {
    for (AggregateCall.Kind kind : AggregateCall.Kind.values()) {
      AggregateCall call = new AggregateCall(kind, 3, DataType.decimal(9, 3), DataType.decimal(19, 3), kind.name());
      assertThat(PlanCodec.decodeAggregateCall(PlanCodec.encode(call))).isEqualTo(call);
    }
    AggregateCall countStar = new AggregateCall(AggregateCall.Kind.COUNT, -1, null, BIGINT, "n");
    assertThat(PlanCodec.decodeAggregateCall(PlanCodec.encode(countStar))).isEqualTo(countStar);
    AggregateCall filtered = new AggregateCall(AggregateCall.Kind.SUM, 2, BIGINT, BIGINT, "s", 4);
    assertThat(PlanCodec.decodeAggregateCall(PlanCodec.encode(filtered))).isEqualTo(filtered);
  }

  @Test
  void splitsBlockIdsAndLocationsRoundTrip() {
    SourceSplit split = new SourceSplit("/data/bids-ü.csv", 1024, Long.MAX_VALUE);
    assertThat(PlanCodec.decodeSourceSplit(PlanCodec.encode(split))).isEqualTo(split);
    for (BlockId.Kind kind : BlockId.Kind.values()) {
      BlockId id = new BlockId("q", 42, kind, 3, kind == BlockId.Kind.SHUFFLE ? 7 : 0);
      assertThat(PlanCodec.decodeBlockId(PlanCodec.encode(id))).isEqualTo(id);
      BlockLocation location = new BlockLocation("worker-2", id);
      assertThat(PlanCodec.decodeBlockLocation(PlanCodec.encode(location))).isEqualTo(location);
    }
  }

  @Test
  void tasksRoundTrip() {
    List<Task> tasks = List.of(
        new Task.MapTask("q", 5, 2, new SourceSplit("nexmark", 0, 1000), Long.MIN_VALUE),
        new Task.MapTask("q", 0, 0, null, -1),
        new Task.MapTask("q", 7, 1, new SourceSplit("clicks", 3, 9), 6000, 6000),
        new Task.ReduceTask("q", 5, 1, List.of(shuffle(0, 1), shuffle(1, 1), shuffle(2, 1)),
            new BlockLocation("w0", new BlockId("q", 4, BlockId.Kind.STATE, 1, 0)), 9000, 8000),
        new Task.ReduceTask("q", 0, 3, List.of(), null, Long.MIN_VALUE, Long.MIN_VALUE));
    for (Task task : tasks) {
      assertThat(PlanCodec.decodeTask(PlanCodec.encode(task))).isEqualTo(task);
    }
  }

  @Test
  void taskResultsRoundTrip() {
    List<TaskResult> results = List.of(
        new TaskResult(List.of(shuffle(0, 0), shuffle(0, 1)), List.of(), null, 100, 10, 123_456, 3, 1),
        new TaskResult(List.of(output(1), output(2)), List.of(10_000L, 20_000L),
            new BlockLocation("w1", new BlockId("q", 5, BlockId.Kind.STATE, 1, 0)), 0, 2, Long.MIN_VALUE, 0, 0),
        new TaskResult(List.of(), List.of(), null, 0, 0, Long.MIN_VALUE, 0, 0));
    for (TaskResult result : results) {
      assertThat(PlanCodec.decodeTaskResult(PlanCodec.encode(result))).isEqualTo(result);
    }
  }

  @Test
  void messagesStartWithTheFormatVersion() {
    byte[] bytes = PlanCodec.encode(BIGINT);
    assertThat(bytes).startsWith(0, 0, 0, PlanCodec.FORMAT_VERSION);
  }

  @Test
  void literalOfTheWrongJavaClassIsNotEncoded() {
    assertThatThrownBy(() -> PlanCodec.encode(literal(5, Plans.INTEGER)))
        .isInstanceOf(CodecException.class).hasMessageContaining("java.lang.Integer").hasMessageContaining("Long");
    assertThatThrownBy(() -> PlanCodec.encode(literal("5", BIGINT)))
        .isInstanceOf(CodecException.class).hasMessageContaining("java.lang.String");
    assertThatThrownBy(() -> PlanCodec.encode(literal(1.0f, DOUBLE)))
        .isInstanceOf(CodecException.class).hasMessageContaining("java.lang.Float");
  }

  @Test
  void nullRequiredFieldsAndBrokenStringsAreNotEncoded() {
    assertThatThrownBy(() -> PlanCodec.encode(new Task.MapTask(null, 0, 0, null, 0)))
        .isInstanceOf(CodecException.class).hasMessage("MapTask.query is null");
    assertThatThrownBy(() -> PlanCodec.encode(literal("bad \uD800 surrogate", VARCHAR)))
        .isInstanceOf(CodecException.class).hasMessageContaining("not valid Unicode");
  }

  @Test
  void nestingDeeperThanTheLimitIsNotEncoded() {
    Expr ok = ref(0, Plans.BOOLEAN);
    for (int i = 1; i < 1000; i++) {
      ok = call(Operator.NOT, Plans.BOOLEAN, ok);
    }
    // Record equals itself recurses too deeply here, so compare the re-encoded bytes.
    byte[] bytes = PlanCodec.encode(ok);
    assertThat(PlanCodec.encode(PlanCodec.decodeExpr(bytes))).isEqualTo(bytes);
    Expr tooDeep = call(Operator.NOT, Plans.BOOLEAN, ok);
    assertThatThrownBy(() -> PlanCodec.encode(tooDeep))
        .isInstanceOf(CodecException.class).hasMessageContaining("deeper than 1000");
  }

  private static BlockLocation shuffle(int mapPartition, int reducePartition) {
    return new BlockLocation("worker-" + mapPartition,
        new BlockId("q", 5, BlockId.Kind.SHUFFLE, mapPartition, reducePartition));
  }

  private static BlockLocation output(int partition) {
    return new BlockLocation("w", new BlockId("q", 5, BlockId.Kind.OUTPUT, partition, 0));
  }

  private static Set<Operator> operators(Expr expr) {
    Set<Operator> found = EnumSet.noneOf(Operator.class);
    if (expr instanceof Expr.Call c) {
      found.add(c.operator());
      for (Expr operand : c.operands()) {
        found.addAll(operators(operand));
      }
    }
    return found;
  }

  private static List<String> nodeKinds(PlanNode node) {
    List<String> kinds = new ArrayList<>();
    for (PlanNode n = node; ; n = n.inputs().get(0)) {
      kinds.add(n.getClass().getSimpleName());
      if (n.inputs().isEmpty()) {
        return kinds;
      }
    }
  }
}
