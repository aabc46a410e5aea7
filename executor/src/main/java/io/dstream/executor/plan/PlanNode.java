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
   * keys, then the aggregates (then, when {@code changelog}, the operation column "op").
   * Without a changelog, a window's groups are emitted once the watermark reaches the window's
   * end, and again whenever rows arriving within {@code allowedLatenessMillis} after that
   * update them; with a changelog, every group a batch updates is emitted in that batch as
   * +I (first time) or -U/+U rows. A window's groups leave the state once the watermark passes
   * its end plus the allowed lateness; without a window ({@code windowKey} -1, changelog
   * only) groups stay. Group key {@code windowKey} (an index into groupKeys) is a window
   * bound: a group is final, emitted and dropped from state once the watermark reaches its
   * value plus {@code windowEndOffsetMillis} (the window end).
   */
  record Aggregate(PlanNode input, List<Integer> groupKeys, List<AggregateCall> aggregates,
      int windowKey, long windowEndOffsetMillis, RowType rowType, long allowedLatenessMillis,
      boolean changelog) implements Stateful {
    public Aggregate {
      requireNonNull(input, "input is null");
      groupKeys = List.copyOf(groupKeys);
      aggregates = List.copyOf(aggregates);
      requireNonNull(rowType, "rowType is null");
      if (allowedLatenessMillis < 0) {
        throw new IllegalArgumentException("allowed lateness must not be negative");
      }
    }

    /** Final results once the watermark passes a window's end; no allowed lateness. */
    public Aggregate(PlanNode input, List<Integer> groupKeys, List<AggregateCall> aggregates,
        int windowKey, long windowEndOffsetMillis, RowType rowType) {
      this(input, groupKeys, aggregates, windowKey, windowEndOffsetMillis, rowType, 0, false);
    }

    /** The same aggregate with another emit policy. */
    public Aggregate withPolicy(long allowedLateness, boolean emitChanges, RowType newRowType) {
      return new Aggregate(input, groupKeys, aggregates, windowKey, windowEndOffsetMillis, newRowType,
          allowedLateness, emitChanges);
    }

    @Override
    public List<PlanNode> inputs() {
      return List.of(input);
    }
  }

  /**
   * A GROUP BY over sliding (HOP) windows, maintained incrementally: its input assigns each row
   * to one pane (a tumbling window of the slide), and the state keeps one partial aggregate per
   * group and pane. A window of {@code sizeMillis} is the merge of its size/slide panes: COUNT,
   * SUM and AVG slide by adding the panes that enter and subtracting those that leave (the
   * paper's reduceByWindow with an inverse function); MIN, MAX and floating-point sums merge the
   * window's panes. Group keys at positions {@code startKeys} and {@code endKeys} (indexes into
   * {@code groupKeys}) carry a pane's start or end in the input and the window's in the output;
   * the other keys partition the shuffle. Output and emission are those of {@link Aggregate}
   * without allowed lateness or changelog.
   */
  record SlidingAggregate(PlanNode input, List<Integer> groupKeys, List<AggregateCall> aggregates,
      int windowKey, long windowEndOffsetMillis, RowType rowType, long sizeMillis, long slideMillis,
      List<Integer> startKeys, List<Integer> endKeys) implements Stateful {
    public SlidingAggregate {
      requireNonNull(input, "input is null");
      groupKeys = List.copyOf(groupKeys);
      aggregates = List.copyOf(aggregates);
      requireNonNull(rowType, "rowType is null");
      startKeys = List.copyOf(startKeys);
      endKeys = List.copyOf(endKeys);
      if (slideMillis <= 0 || sizeMillis <= slideMillis || sizeMillis % slideMillis != 0) {
        throw new IllegalArgumentException("a sliding window's size must be a multiple of its slide, which"
            + " must be smaller: size " + sizeMillis + ", slide " + slideMillis);
      }
      if (startKeys.isEmpty() && endKeys.isEmpty()) {
        throw new IllegalArgumentException("a sliding aggregate needs a window bound among its keys");
      }
    }

    @Override
    public List<PlanNode> inputs() {
      return List.of(input);
    }
  }

  /**
   * The rows of static table {@code table}, loaded once when the query starts and shipped inside
   * the plan: the build side of a {@link LookupJoin}, possibly under filters and projections.
   */
  record StaticTable(String table, RowType rowType, TableData data) implements PlanNode {
    public StaticTable {
      requireNonNull(table, "table is null");
      requireNonNull(rowType, "rowType is null");
      requireNonNull(data, "data is null");
    }

    @Override
    public List<PlanNode> inputs() {
      return List.of();
    }
  }

  /**
   * A map-side broadcast hash join of the stream {@code input} with the static table
   * {@code build} (a {@link StaticTable} under narrow operators): rows whose key columns
   * {@code inputKeys} equal the table's {@code buildKeys} (NULL never equals anything) and for
   * which {@code condition} (over the joined row) is true. An INNER join emits every matching
   * pair; a LEFT join also emits, once, each input row without a match, with NULL table columns.
   * Output columns: the input's then the table's, or the table's first when {@code buildFirst}.
   * Workers build the table's hash table once, when the query is installed, not per task.
   */
  record LookupJoin(PlanNode input, PlanNode build, JoinKind kind, List<Integer> inputKeys,
      List<Integer> buildKeys, Expr condition, boolean buildFirst, RowType rowType) implements PlanNode {
    public LookupJoin {
      requireNonNull(input, "input is null");
      requireNonNull(build, "build is null");
      requireNonNull(kind, "kind is null");
      inputKeys = List.copyOf(inputKeys);
      buildKeys = List.copyOf(buildKeys);
      requireNonNull(condition, "condition is null");
      requireNonNull(rowType, "rowType is null");
      if (inputKeys.size() != buildKeys.size()) {
        throw new IllegalArgumentException("as many input keys as build keys are needed: " + inputKeys
            + " and " + buildKeys);
      }
      if (rowType.size() != input.rowType().size() + build.rowType().size()) {
        throw new IllegalArgumentException("a join's row type has the columns of both sides");
      }
    }

    /** The static table at the bottom of the build side. */
    public StaticTable table() {
      PlanNode node = build;
      while (!(node instanceof StaticTable)) {
        if (node.inputs().size() != 1) {
          throw new IllegalStateException("the build side of a join must be a static table: " + build);
        }
        node = node.inputs().get(0);
      }
      return (StaticTable) node;
    }

    /** Whether {@code condition} is the constant TRUE (an equi-join only). */
    public boolean hasCondition() {
      return !(condition instanceof Expr.Literal literal && Boolean.TRUE.equals(literal.value()));
    }

    @Override
    public List<PlanNode> inputs() {
      return List.of(input, build);
    }
  }

  /** Which rows a {@link LookupJoin} emits. */
  enum JoinKind { INNER, LEFT }

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

  /** A key of a row order: an input column, its direction, and where NULLs go. */
  record SortKey(int column, boolean descending, boolean nullsFirst) {}

  /**
   * ROW_NUMBER() OVER (PARTITION BY {@code partitionKeys} ORDER BY {@code order}) filtered to
   * the first {@code limit} rows of each partition, per window: the partition keys include a
   * window bound, input column {@code windowColumn}, and a partition is final once the watermark
   * reaches that bound plus {@code windowEndOffsetMillis} (the window end); its rows are then
   * emitted in rank order. Ties of {@code order} are broken by all input columns in order,
   * ascending, NULLs last, so the ranking is deterministic. Output: the input's columns, then the
   * row number (BIGINT). State: at most {@code limit} rows per open partition.
   */
  record TopN(PlanNode input, List<Integer> partitionKeys, List<SortKey> order, long limit,
      int windowColumn, long windowEndOffsetMillis, RowType rowType) implements Stateful {
    public TopN {
      requireNonNull(input, "input is null");
      partitionKeys = List.copyOf(partitionKeys);
      order = List.copyOf(order);
      requireNonNull(rowType, "rowType is null");
      if (limit <= 0) {
        throw new IllegalArgumentException("a top-N limit must be positive");
      }
      if (!partitionKeys.contains(windowColumn)) {
        throw new IllegalArgumentException("a top-N must be partitioned by a window bound");
      }
      if (rowType.size() != input.rowType().size() + 1) {
        throw new IllegalArgumentException("top-N output must have the input's columns and the row number");
      }
    }

    @Override
    public List<PlanNode> inputs() {
      return List.of(input);
    }
  }

  /**
   * Deduplication: ROW_NUMBER() OVER (PARTITION BY {@code keys} ORDER BY the event-time column
   * {@code timeColumn} ASC) = 1, the first row of each key by event time (ties broken by all
   * input columns in order, ascending, NULLs last). A key's first row is final, and emitted,
   * once the watermark reaches its time; the key then stays in state so that its later rows are
   * dropped. Rows at or before the watermark at the start of their batch (or without a time) are
   * late: dropped and counted. Without a window ({@code windowColumn} -1) the state grows with the
   * number of distinct keys; with a window bound among the keys, a key leaves the state once the
   * watermark reaches its window's end ({@code windowColumn}'s value plus
   * {@code windowEndOffsetMillis}). Output: the input's columns, then the row number (always 1).
   */
  record Deduplicate(PlanNode input, List<Integer> keys, int timeColumn, int windowColumn,
      long windowEndOffsetMillis, RowType rowType) implements Stateful {
    public Deduplicate {
      requireNonNull(input, "input is null");
      keys = List.copyOf(keys);
      requireNonNull(rowType, "rowType is null");
      if (windowColumn >= 0 && !keys.contains(windowColumn)) {
        throw new IllegalArgumentException("a windowed deduplication must be keyed by a window bound");
      }
      if (rowType.size() != input.rowType().size() + 1) {
        throw new IllegalArgumentException("deduplication output must have the input's columns and the row number");
      }
    }

    @Override
    public List<PlanNode> inputs() {
      return List.of(input);
    }
  }
}
