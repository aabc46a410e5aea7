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
   * UNION ALL of its inputs, whose rows have the same physical layout ({@code rowType}, named as
   * the first input). Not an operator of its own: each input becomes a branch of the map stage.
   */
  record Union(List<PlanNode> inputs, RowType rowType) implements PlanNode {
    public Union {
      inputs = List.copyOf(inputs);
      requireNonNull(rowType, "rowType is null");
      if (inputs.size() < 2) {
        throw new IllegalArgumentException("a union needs at least two inputs");
      }
    }
  }

  /**
   * A join of two streams whose state stays bounded by the watermark; output: the left columns,
   * then the right ones. Both inputs are hash-partitioned on the equi keys
   * ({@code leftKeys[i] = rightKeys[i]}).
   *
   * <p>{@link Kind#INTERVAL}: a left row with time {@code lt} (column {@code leftTime}) matches a
   * right row with time {@code rt} when {@code lowerMillis <= lt - rt <= upperMillis}; matches
   * are emitted as soon as both rows arrived, and a row is dropped from the state once the
   * watermark makes any further match impossible. {@link Kind#WINDOW}: {@code leftTime} and
   * {@code rightTime} are the sides' window_end columns (also among the keys); rows are buffered
   * per window and joined when the watermark passes the window end. When {@code leftOuter}, a
   * left row that can no longer match and never matched is emitted with NULL right columns.
   * The output keeps both time columns; its event time is the left input's.
   */
  record Join(PlanNode left, PlanNode right, Kind kind, boolean leftOuter, List<Integer> leftKeys,
      List<Integer> rightKeys, int leftTime, int rightTime, long lowerMillis, long upperMillis,
      RowType rowType) implements Stateful {
    /** How time bounds the join. */
    public enum Kind { INTERVAL, WINDOW }

    public Join {
      requireNonNull(left, "left is null");
      requireNonNull(right, "right is null");
      requireNonNull(kind, "kind is null");
      leftKeys = List.copyOf(leftKeys);
      rightKeys = List.copyOf(rightKeys);
      requireNonNull(rowType, "rowType is null");
      if (leftKeys.size() != rightKeys.size()) {
        throw new IllegalArgumentException("as many left keys as right keys are needed");
      }
      if (lowerMillis > upperMillis) {
        throw new IllegalArgumentException("lower bound " + lowerMillis + " > upper bound " + upperMillis);
      }
    }

    @Override
    public List<PlanNode> inputs() {
      return List.of(left, right);
    }
  }
}
