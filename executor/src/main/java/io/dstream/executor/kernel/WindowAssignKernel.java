package io.dstream.executor.kernel;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;

/**
 * Appends window_start and window_end for every window containing a row's time: one per row
 * for tumbling windows, size/slide (rounded up) for hopping ones, in ascending start order;
 * for cumulative ones, those of the size/slide windows of its size-aligned period that end
 * after it, in ascending end order. Rows with a NULL time belong to no window; when late rows
 * are dropped, windows that the watermark at the start of the batch has closed are skipped.
 */
public final class WindowAssignKernel implements BatchOperator {
  private final int timeColumn;
  private final long size;
  private final long slide;
  private final long offset;
  private final boolean dropLate;
  private final boolean cumulative;
  private final RowType rowType;

  public WindowAssignKernel(PlanNode.WindowAssign node) {
    this(node.timeColumn(), node.sizeMillis(), node.slideMillis(), node.offsetMillis(), node.dropLate(),
        node.cumulative(), node.rowType());
  }

  public WindowAssignKernel(int timeColumn, long size, long slide, long offset, boolean dropLate,
      RowType rowType) {
    this(timeColumn, size, slide, offset, dropLate, false, rowType);
  }

  public WindowAssignKernel(int timeColumn, long size, long slide, long offset, boolean dropLate,
      boolean cumulative, RowType rowType) {
    this.cumulative = cumulative;
    this.timeColumn = timeColumn;
    this.size = size;
    this.slide = slide;
    this.offset = offset;
    this.dropLate = dropLate;
    this.rowType = rowType;
  }

  @Override
  public ColumnBatch apply(ColumnBatch input, KernelContext context) {
    try (input) {
      int n = input.rowCount();
      BigIntVector time = input.longs(timeColumn);
      long watermark = context.previousWatermark();
      int perRow = (int) ((size + slide - 1) / slide);
      int capacity = n * perRow;
      int[] rows = new int[capacity];
      long[] starts = new long[capacity];
      long[] ends = new long[capacity];
      int count = 0;
      int late = 0;
      int[] lateRows = null;
      for (int i = 0; i < n; i++) {
        if (time.isNull(i)) {
          continue;
        }
        long t = time.get(i);
        // As in Flink: a row is dropped only from windows the watermark has already closed
        // (emitted); it is late, and counted, when all of its windows are closed.
        int kept = 0;
        if (cumulative) {
          long start = Math.floorDiv(t - offset, size) * size + offset;
          for (long end = start + (Math.floorDiv(t - start, slide) + 1) * slide; end <= start + size; end += slide) {
            if (dropLate && end <= watermark) {
              continue;
            }
            rows[count] = i;
            starts[count] = start;
            ends[count] = end;
            count++;
            kept++;
          }
        } else {
          long lastStart = Math.floorDiv(t - offset, slide) * slide + offset;
          long first = lastStart;
          while (first - slide > t - size) {
            first -= slide;
          }
          for (long s = first; s <= lastStart; s += slide) {
            if (dropLate && s + size <= watermark) {
              continue;
            }
            rows[count] = i;
            starts[count] = s;
            ends[count] = s + size;
            count++;
            kept++;
          }
        }
        if (kept == 0) {
          if (lateRows == null) {
            lateRows = new int[n];
          }
          lateRows[late++] = i;
        }
      }
      context.addLateRows(late);
      if (late > 0) {
        context.addLateBatch(Gather.take(input, lateRows, late, context.allocator()));
      }
      ColumnBatch gathered = Gather.take(input, rows, count, context.allocator());
      List<FieldVector> out = new ArrayList<>();
      for (int c = 0; c < gathered.columnCount(); c++) {
        out.add(gathered.vector(c));
      }
      BigIntVector startVector = new BigIntVector("window_start", context.allocator());
      BigIntVector endVector = new BigIntVector("window_end", context.allocator());
      startVector.allocateNew(Math.max(count, 1));
      endVector.allocateNew(Math.max(count, 1));
      for (int k = 0; k < count; k++) {
        startVector.set(k, starts[k]);
        endVector.set(k, ends[k]);
      }
      startVector.setValueCount(count);
      endVector.setValueCount(count);
      out.add(startVector);
      out.add(endVector);
      return new ColumnBatch(rowType, out, count);
    }
  }
}
