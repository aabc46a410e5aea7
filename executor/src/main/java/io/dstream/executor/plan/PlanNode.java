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

  /**
   * A node that keeps keyed state across batches: the query's shuffle. Its input runs in the
   * map stage and the nodes above it in the reduce stage.
   */
  sealed interface Stateful extends PlanNode {}

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
   * tumbling window, where slide == size). When {@code dropLate}, a row is not assigned to
   * windows the watermark at the start of the batch has already closed, and a row left without
   * any window is late: dropped and counted.
   */
  record WindowAssign(PlanNode input, int timeColumn, long sizeMillis, long slideMillis,
      long offsetMillis, boolean dropLate, RowType rowType) implements PlanNode {
    public WindowAssign {
      requireNonNull(input, "input is null");
      requireNonNull(rowType, "rowType is null");
      if (sizeMillis <= 0 || slideMillis <= 0) {
        throw new IllegalArgumentException("window size and slide must be positive");
      }
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
      int windowKey, long windowEndOffsetMillis, RowType rowType) implements Stateful {
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

  /**
   * A GROUP BY over session windows: rows of one key (input columns {@code keys}) whose event
   * times ({@code timeColumn}) are less than {@code gapMillis} apart form one session, from its
   * first time to its last time plus the gap. Output: the keys, the session start and end, then
   * the aggregates. A session is final, emitted and dropped from state once the watermark
   * reaches its end; a row that could only belong to a session the watermark has already closed
   * is late: dropped and counted.
   */
  record SessionAggregate(PlanNode input, List<Integer> keys, int timeColumn, long gapMillis,
      List<AggregateCall> aggregates, RowType rowType) implements Stateful {
    public SessionAggregate {
      requireNonNull(input, "input is null");
      keys = List.copyOf(keys);
      aggregates = List.copyOf(aggregates);
      requireNonNull(rowType, "rowType is null");
      if (gapMillis <= 0) {
        throw new IllegalArgumentException("session gap must be positive");
      }
      if (rowType.size() != keys.size() + 2 + aggregates.size()) {
        throw new IllegalArgumentException("session output must have the keys, start, end and aggregates");
      }
    }

    @Override
    public List<PlanNode> inputs() {
      return List.of(input);
    }
  }
}
