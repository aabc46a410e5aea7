package io.dstream.executor.codec;

import static io.dstream.executor.codec.Plans.BIDS;
import static io.dstream.executor.codec.Plans.BIGINT;
import static io.dstream.executor.codec.Plans.TIMESTAMP;
import static io.dstream.executor.codec.Plans.ref;
import static io.dstream.executor.codec.Plans.rowType;
import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.scheduler.Task;
import io.dstream.executor.source.SourceSplit;
import io.dstream.executor.type.RowType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plans, DAGs and tasks of queries with several inputs survive the wire format unchanged. */
class MultiInputPlanCodecTest {
  private static final RowType KT = rowType("k", BIGINT, "t", TIMESTAMP);

  private static PlanNode projected(String stream) {
    PlanNode.Scan scan = new PlanNode.Scan(stream, BIDS, 5, 4_000);
    return new PlanNode.Project(scan, List.of(ref(0, BIGINT), ref(5, TIMESTAMP)), KT);
  }

  @Test
  void unionDagWithOneBranchPerInputRoundTrips() {
    PlanNode union = new PlanNode.Union(List.of(projected("a"), projected("b"), projected("c")), KT);
    QueryDag dag = QueryDag.of("q", union, 4);
    assertThat(dag.branches()).hasSize(3);
    assertThat(dag.branches()).extracting(b -> b.scan().stream()).containsExactly("a", "b", "c");
    assertThat(PlanCodec.decodeQueryDag(PlanCodec.encode(dag))).isEqualTo(dag);
    assertThat(PlanCodec.decodePlan(PlanCodec.encode(union))).isEqualTo(union);
  }

  @Test
  void joinDagHasALeftAndARightBranchAndRoundTrips() {
    PlanNode left = new PlanNode.Union(List.of(projected("a"), projected("b")), KT);
    PlanNode.Join join = new PlanNode.Join(left, projected("c"), PlanNode.Join.Kind.INTERVAL, true, List.of(0),
        List.of(0), 1, 1, -5_000, 2_000, KT.append(KT));
    QueryDag dag = QueryDag.of("q", new PlanNode.Filter(join, ref(0, BIGINT)), 2);
    assertThat(dag.branches()).extracting(QueryDag.Branch::side).containsExactly(0, 0, 1);
    assertThat(dag.stateful()).isEqualTo(join);
    assertThat(dag.reduceOperators()).hasSize(1);
    assertThat(PlanCodec.decodeQueryDag(PlanCodec.encode(dag))).isEqualTo(dag);
  }

  @Test
  void mapTaskCarriesItsBranch() {
    Task task = new Task.MapTask("q", 3, 7, new SourceSplit("f", 0, 10), 42, 2);
    assertThat(PlanCodec.decodeTask(PlanCodec.encode(task))).isEqualTo(task);
  }
}
