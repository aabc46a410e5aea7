package io.dstream.executor.plan;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.type.RowType;
import java.util.List;

/**
 * A node of a query's logical D-stream plan, as the planner hands it to the executor: plain
 * records, free of Calcite. The executor cuts it into stages at shuffles.
 */
public sealed interface PlanNode {
  RowType rowType();

  List<PlanNode> inputs();

  /**
   * Reads a stream. {@code timeColumn} is the event-time column (-1 for none) and
   * {@code watermarkDelayMillis} the declared delay: watermark = max event time - delay.
   */
  record Scan(String stream, RowType rowType, int timeColumn, long watermarkDelayMillis)
      implements PlanNode {
    public Scan {
      requireNonNull(stream, "stream is null");
      requireNonNull(rowType, "rowType is null");
    }

    @Override
    public List<PlanNode> inputs() {
      return List.of();
    }
  }

  /** Keeps rows for which {@code condition} is true. */
  record Filter(PlanNode input, Expr condition) implements PlanNode {
    public Filter {
      requireNonNull(input, "input is null");
      requireNonNull(condition, "condition is null");
    }

    @Override
    public RowType rowType() {
      return input.rowType();
    }

    @Override
    public List<PlanNode> inputs() {
      return List.of(input);
    }
  }

  /** Computes one output column per expression. */
  record Project(PlanNode input, List<Expr> expressions, RowType rowType) implements PlanNode {
    public Project {
      requireNonNull(input, "input is null");
      expressions = List.copyOf(expressions);
      requireNonNull(rowType, "rowType is null");
    }

    @Override
    public List<PlanNode> inputs() {
      return List.of(input);
    }
  }

  /**
   * Assigns each row to the windows containing its {@code timeColumn} value and appends the
   * columns window_start and window_end; a row falls into size/slide windows (one for a
   * tumbling window, where slide == size). A {@code cumulative} window (CUMULATE) instead has
   * the windows [s, s + k * slide) for k = 1 .. size / slide, s = floor(time, size) (size is a
   * multiple of slide), and a row falls into those that end after its time. When
   * {@code dropLate}, a row is not assigned to windows the watermark at the start of the batch
   * has already closed, and a row left without any window is late: dropped and counted.
   */
  record WindowAssign(PlanNode input, int timeColumn, long sizeMillis, long slideMillis,
      long offsetMillis, boolean dropLate, boolean cumulative, RowType rowType) implements PlanNode {
    public WindowAssign {
      requireNonNull(input, "input is null");
      requireNonNull(rowType, "rowType is null");
      if (sizeMillis <= 0 || slideMillis <= 0) {
        throw new IllegalArgumentException("window size and slide must be positive");
      }
      if (cumulative && sizeMillis % slideMillis != 0) {
        throw new IllegalArgumentException("a cumulative window's size (" + sizeMillis
            + " ms) must be a multiple of its step (" + slideMillis + " ms)");
      }
    }

    /** A tumbling or hopping window. */
    public WindowAssign(PlanNode input, int timeColumn, long sizeMillis, long slideMillis,
        long offsetMillis, boolean dropLate, RowType rowType) {
      this(input, timeColumn, sizeMillis, slideMillis, offsetMillis, dropLate, false, rowType);
    }

    @Override
    public List<PlanNode> inputs() {
      return List.of(input);
    }
  }

  /**
   * Groups by {@code groupKeys} (input columns) and computes {@code aggregates}. Output: the
   * keys, then the aggregates. Group key {@code windowKey} (an index into groupKeys) is a window
   * bound: a group is final, emitted and dropped from state once the watermark reaches its
   * value plus {@code windowEndOffsetMillis} (the window end).
   */
  record Aggregate(PlanNode input, List<Integer> groupKeys, List<AggregateCall> aggregates,
      int windowKey, long windowEndOffsetMillis, RowType rowType) implements PlanNode {
    public Aggregate {
      requireNonNull(input, "input is null");
      groupKeys = List.copyOf(groupKeys);
      aggregates = List.copyOf(aggregates);
      requireNonNull(rowType, "rowType is null");
    }

    @Override
    public List<PlanNode> inputs() {
      return List.of(input);
    }
  }
}
