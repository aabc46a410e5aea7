package io.dstream.executor.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.kernel.TestBatches;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.plan.TableData;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Kind;
import io.dstream.executor.type.RowType;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlanCodecJoinTest {
  private static final DataType BIGINT = DataType.of(Kind.BIGINT);
  private static final DataType VARCHAR = DataType.of(Kind.VARCHAR);
  private static final RowType TABLE = TestBatches.rowType("id", BIGINT, "name", VARCHAR);
  private static final RowType STREAM = TestBatches.rowType("k", BIGINT, "t", DataType.of(Kind.TIMESTAMP));

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  private PlanNode.LookupJoin join(TableData data) {
    PlanNode.Scan scan = new PlanNode.Scan("s", STREAM, 1, 4000);
    PlanNode.StaticTable table = new PlanNode.StaticTable("items", TABLE, data);
    PlanNode build = new PlanNode.Filter(table, new Expr.Call(Operator.IS_NOT_NULL,
        List.of(new Expr.InputRef(1, VARCHAR)), DataType.of(Kind.BOOLEAN)));
    Expr condition = new Expr.Call(Operator.GREATER_THAN, List.of(new Expr.InputRef(0, BIGINT),
        new Expr.Literal(3L, BIGINT)), DataType.of(Kind.BOOLEAN));
    return new PlanNode.LookupJoin(scan, build, PlanNode.JoinKind.LEFT, List.of(0), List.of(0), condition, false,
        STREAM.append(TABLE));
  }

  private TableData data() {
    try (ColumnBatch rows = TestBatches.batch(allocator, TABLE, new Object[] {1L, "one"}, new Object[] {2L, null})) {
      return TableData.of(BatchCodec.encode(rows), rows.rowCount());
    }
  }

  @Test
  void joinWithItsTableRoundTripsInAPlanAndADag() {
    PlanNode.LookupJoin join = join(data());
    assertThat(PlanCodec.decodePlan(PlanCodec.encode(join))).isEqualTo(join);
    QueryDag dag = QueryDag.of("q1", join, 2);
    QueryDag decoded = PlanCodec.decodeQueryDag(PlanCodec.encode(dag));
    assertThat(decoded).isEqualTo(dag);
    assertThat(decoded.tables()).containsExactly("items");
    PlanNode.StaticTable table = ((PlanNode.LookupJoin) decoded.mapOperators().get(0)).table();
    try (ColumnBatch rows = BatchCodec.decode(table.data().ipc(), allocator, TABLE)) {
      assertThat(TestBatches.rows(rows)).containsExactly(TestBatches.row(1L, "one"), TestBatches.row(2L, null));
    }
  }

  @Test
  void aTableNotReadYetCannotBeShippedButCanBeExplained() {
    PlanNode.LookupJoin join = join(TableData.deferred());
    assertThatThrownBy(() -> PlanCodec.encode(join)).isInstanceOf(CodecException.class)
        .hasMessageContaining("static table items is not loaded");
    assertThat(QueryDag.of("q1", join, 2).describe())
        .contains("BroadcastHashJoin(LEFT, table=items (loaded when the query starts), keys=[k = items.id],"
            + " condition=GREATER_THAN($0, 3), table operators=[Filter(IS_NOT_NULL($1))])");
  }

  @Test
  void truncatedTableBytesAreRejected() {
    byte[] bytes = PlanCodec.encode(join(data()));
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
    assertThatThrownBy(() -> PlanCodec.decodePlan(truncated)).isInstanceOf(CodecException.class);
  }
}
