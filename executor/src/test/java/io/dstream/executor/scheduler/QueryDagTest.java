package io.dstream.executor.scheduler;

import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.BOOLEAN;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.kernel.HashAggregator;
import io.dstream.executor.plan.AggregateCall;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueryDagTest {
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  @Test
  void aWindowedAggregationIsCutIntoAMapAndAReduceStageAtTheShuffle() {
    PlanNode.Project root = WindowedPlans.bidsPerAuction(true);
    PlanNode.Aggregate aggregate = (PlanNode.Aggregate) root.input();
    PlanNode.WindowAssign window = (PlanNode.WindowAssign) aggregate.input();
    QueryDag dag = QueryDag.of("q1", root, 4);

    assertThat(dag.hasShuffle()).isTrue();
    assertThat(dag.scan()).isEqualTo(window.input());
    assertThat(dag.mapOperators()).containsExactly(window);
    assertThat(dag.aggregate()).isEqualTo(aggregate);
    assertThat(dag.reduceOperators()).containsExactly(root);
    assertThat(dag.outputType()).isEqualTo(root.rowType());
    assertThat(dag.keyType().columns()).extracting(Column::name).containsExactly("auction", "window_start");

    String text = dag.describe();
    assertThat(text)
        .contains("Stage 0 (map, 4 tasks")
        .contains("Scan(stream=bids, eventTime=ts, watermarkDelay=1000ms)")
        .contains("TumbleWindow(size=10000ms, drop late rows)")
        .contains("PartialAggregate(keys=auction, window_start")
        .contains("Shuffle(hash(auction, window_start), partitions=4)")
        .contains("Stage 1 (reduce, 4 tasks, hash-partitioned on auction, window_start)")
        .contains("emit when watermark >= window_start + 10000ms")
        .contains("Project(auction, window_start, window_end, bids, volume)")
        .contains("Output(columns=auction, window_start, window_end, bids, volume)");
    assertThat(text.indexOf("Shuffle")).isBetween(text.indexOf("Stage 0"), text.indexOf("Stage 1"));
  }

  @Test
  void theDagsStateTypeIsWhatTheAggregatorWrites() {
    QueryDag dag = QueryDag.of("q1", WindowedPlans.bidsPerAuction(true), 2);
    HashAggregator aggregator = new HashAggregator(
        dag.keyType().columns().stream().map(Column::type).toList(), dag.aggregate().aggregates());
    try (ColumnBatch state = aggregator.stateBatch(dag.stateType(), aggregator.allGroups(), allocator)) {
      assertThat(state.rowType()).isEqualTo(dag.stateType());
      assertThat(state.columnCount()).isEqualTo(2 + 2 * 3);
    }
  }

  @Test
  void aPlanWithoutAggregateIsASingleMapStage() {
    PlanNode.Scan scan = WindowedPlans.scan();
    PlanNode.Filter filter = new PlanNode.Filter(scan, new Expr.Call(Operator.GREATER_THAN,
        List.of(new Expr.InputRef(0, BIGINT), new Expr.Literal(1L, BIGINT)), BOOLEAN));
    PlanNode.Project project = new PlanNode.Project(filter, List.of(new Expr.InputRef(0, BIGINT)),
        rowType("auction", BIGINT));
    QueryDag dag = QueryDag.of("q2", project, 3);
    assertThat(dag.hasShuffle()).isFalse();
    assertThat(dag.mapOperators()).containsExactly(filter, project);
    assertThat(dag.reduceOperators()).isEmpty();
    assertThat(dag.describe()).contains("Stage 0").doesNotContain("Stage 1").doesNotContain("Shuffle")
        .contains("Filter(").contains("Output(columns=auction)");
  }

  @Test
  void anAggregateWithoutAWindowIsRejected() {
    PlanNode.Scan scan = WindowedPlans.scan();
    PlanNode.Aggregate agg = new PlanNode.Aggregate(scan, List.of(0),
        List.of(new AggregateCall(AggregateCall.Kind.COUNT, -1, null, BIGINT, "c")), -1, 0,
        rowType("auction", BIGINT, "c", BIGINT));
    assertThatThrownBy(() -> QueryDag.of("q", agg, 1))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("needs a window")
        .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED));
  }

  @Test
  void twoLevelsOfAggregationAreRejected() {
    PlanNode.Project inner = WindowedPlans.bidsPerAuction(true);
    PlanNode.Aggregate outer = new PlanNode.Aggregate(inner, List.of(1),
        List.of(new AggregateCall(AggregateCall.Kind.COUNT, -1, null, BIGINT, "c")), 0, 10_000,
        rowType("window_start", DataType.of(DataType.Kind.TIMESTAMP), "c", BIGINT));
    assertThatThrownBy(() -> QueryDag.of("q", outer, 1))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("more than one level of GROUP BY");
  }
}
