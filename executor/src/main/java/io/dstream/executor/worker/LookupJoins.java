package io.dstream.executor.worker;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.codec.BatchCodec;
import io.dstream.executor.kernel.BatchOperator;
import io.dstream.executor.kernel.KernelContext;
import io.dstream.executor.kernel.LookupJoinKernel;
import io.dstream.executor.kernel.LookupTable;
import io.dstream.executor.plan.PlanNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Builds the kernel of a broadcast hash join when a query is installed on a worker: decodes the
 * static table shipped in the plan, applies the operators above it (filters, projections) once,
 * and indexes the result on the join keys.
 */
final class LookupJoins {
  private LookupJoins() {}

  /** A join kernel whose table lives in {@code allocator} until the kernel is closed. */
  static LookupJoinKernel kernel(PlanNode.LookupJoin join, BufferAllocator allocator) {
    LookupTable table = LookupTable.build(tableRows(join.build(), allocator), toArray(join.buildKeys()));
    return new LookupJoinKernel(table, toArray(join.inputKeys()), join.kind() == PlanNode.JoinKind.LEFT,
        join.hasCondition() ? join.condition() : null, join.buildFirst(), join.rowType());
  }

  private static ColumnBatch tableRows(PlanNode build, BufferAllocator allocator) {
    List<PlanNode> operators = new ArrayList<>();
    PlanNode node = build;
    while (!(node instanceof PlanNode.StaticTable)) {
      operators.add(0, node);
      node = node.inputs().get(0);
    }
    PlanNode.StaticTable table = (PlanNode.StaticTable) node;
    ColumnBatch rows = BatchCodec.decode(table.data().ipc(), allocator, table.rowType());
    KernelContext context = new KernelContext(allocator, Long.MIN_VALUE);
    for (BatchOperator operator : TaskRunner.kernels(operators)) {
      rows = operator.apply(rows, context);
    }
    return rows;
  }

  private static int[] toArray(List<Integer> list) {
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }
}
