package io.dstream.executor.kernel;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * The probe side of a broadcast hash join of a stream with a static table: each input batch is
 * probed against a {@link LookupTable} built once per worker, the matching pairs filtered by the
 * join's extra condition, and the output columns gathered. An outer join keeps each input row
 * without a (passing) match once, with NULL table columns. Thread-safe: tasks share the table.
 *
 * <p>Owns its table: {@link #close} releases it (tasks still probing keep it alive).
 */
public final class LookupJoinKernel implements BatchOperator, AutoCloseable {
  private final LookupTable table;
  private final int[] inputKeys;
  private final boolean outer;
  private final Expr condition;
  private final boolean tableFirst;
  private final RowType rowType;

  /**
   * Takes ownership of {@code table}. {@code condition} is over the joined row (null: none);
   * with {@code tableFirst} the table's columns come before the input's.
   */
  public LookupJoinKernel(LookupTable table, int[] inputKeys, boolean outer, Expr condition, boolean tableFirst,
      RowType rowType) {
    this.table = requireNonNull(table, "table is null");
    this.inputKeys = inputKeys.clone();
    this.outer = outer;
    this.condition = condition;
    this.tableFirst = tableFirst;
    this.rowType = requireNonNull(rowType, "rowType is null");
  }

  @Override
  public ColumnBatch apply(ColumnBatch input, KernelContext context) {
    try (input) {
      if (!table.retain()) {
        throw new IllegalStateException("the join's table is already released: the query was uninstalled");
      }
      try {
        LookupTable.Matches matches = table.probe(input, inputKeys, outer);
        if (condition != null && matches.count() > 0) {
          matches = filter(input, matches, context.allocator());
        }
        return gather(input, matches, context.allocator());
      } finally {
        table.release();
      }
    }
  }

  /** Keeps the pairs whose joined row passes the condition (and, when outer, each row left without one). */
  private LookupTable.Matches filter(ColumnBatch input, LookupTable.Matches candidates, BufferAllocator allocator) {
    boolean[] pass;
    boolean[] nulls;
    try (ColumnBatch joined = gather(input, candidates, allocator)) {
      Values v = ExpressionEvaluator.evaluate(condition, joined);
      pass = v.booleans;
      nulls = v.nulls;
    }
    int[] probe = candidates.probeRows();
    int[] build = candidates.buildRows();
    LookupTable.Matches out = new LookupTable.Matches(candidates.count());
    int from = 0;
    while (from < candidates.count()) {
      int row = probe[from];
      int to = from;
      boolean any = false;
      while (to < candidates.count() && probe[to] == row) {
        if (build[to] >= 0 && pass[to] && (nulls == null || !nulls[to])) {
          out.add(row, build[to]);
          any = true;
        }
        to++;
      }
      if (outer && !any) {
        out.add(row, -1);
      }
      from = to;
    }
    return out;
  }

  private ColumnBatch gather(ColumnBatch input, LookupTable.Matches matches, BufferAllocator allocator) {
    int count = matches.count();
    int[] probe = matches.probeRows();
    boolean identity = count == input.rowCount();
    for (int k = 0; k < count && identity; k++) {
      identity = probe[k] == k;
    }
    ColumnBatch rows = table.rows();
    List<FieldVector> inputColumns = new ArrayList<>(input.columnCount());
    List<FieldVector> tableColumns = new ArrayList<>(rows.columnCount());
    try {
      for (int c = 0; c < input.columnCount(); c++) {
        inputColumns.add(identity ? Gather.share(input.vector(c), allocator)
            : Gather.take(input.vector(c), probe, count, allocator));
      }
      for (int c = 0; c < rows.columnCount(); c++) {
        tableColumns.add(Gather.takeOrNull(rows.vector(c), matches.buildRows(), count, allocator));
      }
    } catch (RuntimeException | Error e) {
      inputColumns.forEach(FieldVector::close);
      tableColumns.forEach(FieldVector::close);
      throw e;
    }
    List<FieldVector> out = new ArrayList<>(rowType.size());
    out.addAll(tableFirst ? tableColumns : inputColumns);
    out.addAll(tableFirst ? inputColumns : tableColumns);
    return new ColumnBatch(rowType, out, count);
  }

  @Override
  public void close() {
    table.close();
  }
}
