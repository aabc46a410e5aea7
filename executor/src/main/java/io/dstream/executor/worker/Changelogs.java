package io.dstream.executor.worker;

import io.dstream.executor.batch.ColumnBatch;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.vector.VarCharVector;

/**
 * Fixes the operations of a changelog after the operators above its aggregate (a HAVING
 * filter) dropped some of its rows: within one window, a -U row whose group's +U row was
 * dropped becomes -D (the group left the result), and a +U row whose group's -U row was dropped
 * becomes +I (the group entered it). The operation is the first column of the output.
 */
final class Changelogs {
  private static final byte[] DELETE = "-D".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INSERT = "+I".getBytes(StandardCharsets.US_ASCII);

  private Changelogs() {}

  /**
   * {@code batches} are the outputs after the operators, {@code survivors} for each the rows of
   * the reduce output they come from, {@code changes} each reduce output row's group (negative
   * for previous values) and {@code order} each batch's window.
   */
  static void relabel(List<ColumnBatch> batches, List<int[]> survivors, List<int[]> changes, List<Long> order) {
    int from = 0;
    while (from < batches.size()) {
      int to = from + 1;
      while (to < batches.size() && order.get(to).equals(order.get(from))) {
        to++;
      }
      Set<Integer> retracted = new HashSet<>();
      Set<Integer> added = new HashSet<>();
      for (int b = from; b < to; b++) {
        for (int row : survivors.get(b)) {
          int group = changes.get(b)[row];
          if (group < 0) {
            retracted.add(-group - 1);
          } else {
            added.add(group);
          }
        }
      }
      for (int b = from; b < to; b++) {
        ColumnBatch batch = batches.get(b);
        if (batch.rowCount() == 0) {
          continue;
        }
        VarCharVector op = batch.strings(0);
        int[] rows = survivors.get(b);
        for (int i = 0; i < rows.length; i++) {
          int group = changes.get(b)[rows[i]];
          if (group < 0 && !added.contains(-group - 1)) {
            set(op, i, DELETE);
          } else if (group >= 0 && !retracted.contains(group) && isUpdateAfter(op, i)) {
            set(op, i, INSERT);
          }
        }
      }
      from = to;
    }
  }

  private static boolean isUpdateAfter(VarCharVector op, int i) {
    byte[] v = op.get(i);
    return v.length == 2 && v[0] == '+' && v[1] == 'U';
  }

  /** Overwrites a two-byte operation in place (all operations have two bytes). */
  private static void set(VarCharVector op, int i, byte[] value) {
    long start = op.getStartOffset(i);
    op.getDataBuffer().setBytes(start, value);
  }
}
