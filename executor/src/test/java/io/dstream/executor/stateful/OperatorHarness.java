package io.dstream.executor.stateful;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.kernel.TestBatches;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Runs a stateful operator batch by batch as the scheduler does: the map side partitions each
 * batch's input, each reduce partition folds its block into its state; outputs are read back in
 * the driver's order (order key, then partition). Closes every batch it creates.
 */
final class OperatorHarness implements AutoCloseable {
  private final StatefulOperator operator;
  private final BufferAllocator allocator;
  private final ColumnBatch[] state;
  private long watermark = Long.MIN_VALUE;
  private long lateRows;

  OperatorHarness(StatefulOperator operator, int partitions, BufferAllocator allocator) {
    this.operator = operator;
    this.allocator = allocator;
    this.state = new ColumnBatch[partitions];
  }

  /** Runs one batch of {@code input} (closed here) ending at {@code newWatermark}; its output rows. */
  List<List<Object>> batch(ColumnBatch input, long newWatermark) {
    ColumnBatch[] shuffled;
    try (input) {
      shuffled = operator.partition(input, state.length, allocator);
    }
    List<long[]> order = new ArrayList<>();
    List<ColumnBatch> blocks = new ArrayList<>();
    for (int p = 0; p < state.length; p++) {
      StatefulOperator.Reduction r;
      try (ColumnBatch block = shuffled[p]) {
        r = operator.reduce(state[p], List.of(block),
            new StatefulOperator.ReduceContext(newWatermark, watermark, allocator));
      }
      if (state[p] != null) {
        state[p].close();
      }
      state[p] = r.state();
      lateRows += r.lateRows();
      for (int b = 0; b < r.outputs().size(); b++) {
        order.add(new long[] {r.order().get(b), blocks.size()});
        blocks.add(r.outputs().get(b));
      }
    }
    watermark = newWatermark;
    order.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
    List<List<Object>> rows = new ArrayList<>();
    for (long[] o : order) {
      rows.addAll(TestBatches.rows(blocks.get((int) o[1])));
    }
    blocks.forEach(ColumnBatch::close);
    return rows;
  }

  long lateRows() {
    return lateRows;
  }

  /** Rows held in state over all partitions. */
  int stateRows() {
    int n = 0;
    for (ColumnBatch s : state) {
      n += s == null ? 0 : s.rowCount();
    }
    return n;
  }

  @Override
  public void close() {
    for (ColumnBatch s : state) {
      if (s != null) {
        s.close();
      }
    }
  }
}
