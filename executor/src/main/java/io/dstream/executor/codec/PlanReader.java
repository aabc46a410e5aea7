package io.dstream.executor.codec;

import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.plan.AggregateCall;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.plan.TableData;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.scheduler.Task;
import io.dstream.executor.scheduler.TaskResult;
import io.dstream.executor.source.SourceSplit;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads one message of the plan format, mirroring {@link PlanWriter}. Every read is bounds
 * checked and every count, code and index validated, so malformed bytes give a
 * {@link CodecException} naming the problem and its offset. Single use, not thread-safe.
 */
final class PlanReader {
  private final byte[] bytes;
  private int position;
  private int depth;
  private final List<PlanNode> nodes = new ArrayList<>();

  /** Checks the version and that the message holds {@code expected}. */
  PlanReader(byte[] bytes, PlanFormat.Message expected) {
    if (bytes == null) {
      throw new CodecException("input is null");
    }
    this.bytes = bytes;
    int version = readInt();
    if (version != PlanFormat.VERSION) {
      throw new CodecException("unsupported plan format version " + version + " (this build reads version "
          + PlanFormat.VERSION + ")");
    }
    int at = position;
    PlanFormat.Message message = PlanFormat.MESSAGES.constant(readCode(), at);
    if (message != expected) {
      throw new CodecException("expected a " + expected + " message, got a " + message + " message");
    }
  }

  /** Checks that the message ended exactly at the end of the input. */
  void end() {
    if (position != bytes.length) {
      throw new CodecException((bytes.length - position) + " trailing bytes after the message at offset " + position);
    }
  }

  DataType dataType() {
    DataType.Kind kind = PlanFormat.KINDS.constant(readCode(), position - 1);
    int precision = readInt();
    int scale = readInt();
    boolean nullable = readBoolean();
    return new DataType(kind, precision, scale, nullable);
  }

  RowType rowType() {
    int count = readCount(4 + 1 + 4 + 4 + 1);
    List<Column> columns = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      columns.add(new Column(readString(), dataType()));
    }
    return new RowType(columns);
  }

  Expr expr() {
    if (++depth > PlanFormat.MAX_DEPTH) {
      throw new CodecException("expression nested deeper than " + PlanFormat.MAX_DEPTH + " levels at offset " + position);
    }
    int at = position;
    byte tag = readByte();
    Expr expr = switch (tag) {
      case PlanFormat.EXPR_INPUT_REF -> {
        int index = readInt();
        yield new Expr.InputRef(index, dataType());
      }
      case PlanFormat.EXPR_LITERAL -> {
        DataType type = dataType();
        yield new Expr.Literal(literalValue(type), type);
      }
      case PlanFormat.EXPR_CALL -> {
        Operator operator = PlanFormat.OPERATORS.constant(readCode(), position - 1);
        int count = readCount(1);
        List<Expr> operands = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          operands.add(expr());
        }
        yield new Expr.Call(operator, operands, dataType());
      }
      case PlanFormat.EXPR_FUNCTION_CALL -> {
        String name = readString();
        String className = readString();
        int count = readCount(4 + 1);
        List<String> parameterTypes = new ArrayList<>(count);
        List<Expr> operands = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          parameterTypes.add(readString());
          operands.add(expr());
        }
        yield new Expr.FunctionCall(name, className, parameterTypes, operands, dataType());
      }
      default -> throw new CodecException("unknown expression tag " + tag + " at offset " + at);
    };
    depth--;
    return expr;
  }

  private Object literalValue(DataType type) {
    int at = position;
    byte tag = readByte();
    DataType.Physical physical = switch (tag) {
      case PlanFormat.VALUE_NULL -> null;
      case PlanFormat.VALUE_LONG -> DataType.Physical.LONG;
      case PlanFormat.VALUE_DOUBLE -> DataType.Physical.DOUBLE;
      case PlanFormat.VALUE_BOOLEAN -> DataType.Physical.BOOLEAN;
      case PlanFormat.VALUE_STRING -> DataType.Physical.STRING;
      default -> throw new CodecException("unknown literal value tag " + tag + " at offset " + at);
    };
    if (physical == null) {
      return null;
    }
    if (physical != type.physical()) {
      throw new CodecException("literal of type " + type + " holds a " + javaClassOf(physical)
          + " value at offset " + at + "; its physical class " + type.physical() + " needs "
          + javaClassOf(type.physical()));
    }
    return switch (physical) {
      case LONG -> readLong();
      case DOUBLE -> Double.longBitsToDouble(readLong());
      case BOOLEAN -> readBoolean();
      case STRING -> readString();
    };
  }

  static String javaClassOf(DataType.Physical physical) {
    return switch (physical) {
      case LONG -> "Long";
      case DOUBLE -> "Double";
      case BOOLEAN -> "Boolean";
      case STRING -> "String";
    };
  }

  AggregateCall aggregateCall() {
    AggregateCall.Kind kind = PlanFormat.AGGREGATES.constant(readCode(), position - 1);
    int argument = readInt();
    DataType argumentType = readPresence() ? dataType() : null;
    DataType resultType = dataType();
    String name = readString();
    int filter = readInt();
    boolean distinct = readBoolean();
    return construct("aggregate call " + name,
        () -> new AggregateCall(kind, argument, argumentType, resultType, name, filter, distinct));
  }

  PlanNode plan() {
    nodeTable();
    return nodeReference(PlanNode.class, "plan root");
  }

  QueryDag queryDag() {
    String query = readString();
    nodeTable();
    int branchCount = readCount(12);
    if (branchCount == 0) {
      throw new CodecException("QueryDag has no input branch");
    }
    List<QueryDag.Branch> branches = new ArrayList<>(branchCount);
    for (int i = 0; i < branchCount; i++) {
      PlanNode.Scan scan = nodeReference(PlanNode.Scan.class, "QueryDag.scan");
      List<PlanNode> map = nodeReferences("QueryDag.mapOperators");
      int side = readInt();
      if (side < 0 || side > 1) {
        throw new CodecException("QueryDag branch side " + side + " is not 0 or 1");
      }
      branches.add(new QueryDag.Branch(scan, map, side));
    }
    PlanNode.Stateful stateful = readPresence()
        ? nodeReference(PlanNode.Stateful.class, "QueryDag.stateful") : null;
    List<PlanNode> reduce = nodeReferences("QueryDag.reduceOperators");
    int partitions = readInt();
    RowType outputType = readPresence() ? rowType() : null;
    return new QueryDag(query, branches, stateful, reduce, partitions, outputType);
  }

  private void nodeTable() {
    int count = readCount(1);
    for (int i = 0; i < count; i++) {
      nodes.add(node());
    }
  }

  private List<PlanNode> nodeReferences(String what) {
    int count = readCount(4);
    List<PlanNode> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      list.add(nodeReference(PlanNode.class, what));
    }
    return list;
  }

  /** A node already read, by its index in the node table, checked to be of class {@code type}. */
  private <T extends PlanNode> T nodeReference(Class<T> type, String what) {
    int at = position;
    int index = readInt();
    if (index < 0 || index >= nodes.size()) {
      throw new CodecException(what + " refers to node " + index + " at offset " + at + ", but only "
          + nodes.size() + " nodes precede it");
    }
    PlanNode node = nodes.get(index);
    if (!type.isInstance(node)) {
      throw new CodecException(what + " at offset " + at + " must be a " + type.getSimpleName()
          + ", not a " + node.getClass().getSimpleName());
    }
    return type.cast(node);
  }

  private PlanNode node() {
    int at = position;
    byte tag = readByte();
    return switch (tag) {
      case PlanFormat.NODE_SCAN -> new PlanNode.Scan(readString(), rowType(), readInt(), readLong());
      case PlanFormat.NODE_FILTER -> new PlanNode.Filter(input(), expr());
      case PlanFormat.NODE_PROJECT -> {
        PlanNode input = input();
        int count = readCount(1);
        List<Expr> expressions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          expressions.add(expr());
        }
        yield new PlanNode.Project(input, expressions, rowType());
      }
      case PlanFormat.NODE_WINDOW_ASSIGN -> windowAssign(at);
      case PlanFormat.NODE_AGGREGATE -> aggregate();
      case PlanFormat.NODE_STATIC_TABLE -> staticTable(at);
      case PlanFormat.NODE_LOOKUP_JOIN -> lookupJoin(at);
      case PlanFormat.NODE_SESSION_AGGREGATE -> sessionAggregate(at);
      case PlanFormat.NODE_SLIDING_AGGREGATE -> slidingAggregate(at);
      case PlanFormat.NODE_UNION -> {
        List<PlanNode> inputs = nodeReferences("Union.inputs");
        RowType rowType = rowType();
        yield construct("Union at offset " + at, () -> new PlanNode.Union(inputs, rowType));
      }
      case PlanFormat.NODE_JOIN -> join(at);
      case PlanFormat.NODE_TOP_N -> topN(at);
      case PlanFormat.NODE_DEDUPLICATE -> deduplicate(at);
      default -> throw new CodecException("unknown plan node tag " + tag + " at offset " + at);
    };
  }

  private PlanNode input() {
    return nodeReference(PlanNode.class, "plan node input");
  }

  private PlanNode.WindowAssign windowAssign(int at) {
    PlanNode input = input();
    int timeColumn = readInt();
    long size = readLong();
    long slide = readLong();
    long offset = readLong();
    boolean dropLate = readBoolean();
    boolean cumulative = readBoolean();
    RowType rowType = rowType();
    return construct("WindowAssign at offset " + at,
        () -> new PlanNode.WindowAssign(input, timeColumn, size, slide, offset, dropLate, cumulative, rowType));
  }

  private PlanNode.SlidingAggregate slidingAggregate(int at) {
    PlanNode input = input();
    List<Integer> keys = ints();
    List<AggregateCall> calls = aggregateCalls();
    int windowKey = readInt();
    long windowEndOffset = readLong();
    RowType rowType = rowType();
    long size = readLong();
    long slide = readLong();
    List<Integer> startKeys = ints();
    List<Integer> endKeys = ints();
    return construct("SlidingAggregate at offset " + at, () -> new PlanNode.SlidingAggregate(input, keys, calls,
        windowKey, windowEndOffset, rowType, size, slide, startKeys, endKeys));
  }

  private PlanNode.Aggregate aggregate() {
    PlanNode input = input();
    List<Integer> keys = ints();
    List<AggregateCall> calls = aggregateCalls();
    int windowKey = readInt();
    long windowEndOffset = readLong();
    RowType rowType = rowType();
    long allowedLateness = readLong();
    boolean changelog = readBoolean();
    return construct("Aggregate", () -> new PlanNode.Aggregate(input, keys, calls, windowKey, windowEndOffset,
        rowType, allowedLateness, changelog));
  }

  private PlanNode.StaticTable staticTable(int at) {
    String table = readString();
    RowType rowType = rowType();
    int rows = readInt();
    int length = readCount(1);
    byte[] ipc = java.util.Arrays.copyOfRange(bytes, position, position + length);
    position += length;
    return construct("StaticTable at offset " + at,
        () -> new PlanNode.StaticTable(table, rowType, TableData.of(ipc, rows)));
  }

  private PlanNode.LookupJoin lookupJoin(int at) {
    PlanNode input = input();
    PlanNode build = input();
    PlanNode.JoinKind kind = PlanFormat.JOIN_KINDS.constant(readCode(), position - 1);
    int keyCount = readCount(8);
    List<Integer> inputKeys = new ArrayList<>(keyCount);
    for (int i = 0; i < keyCount; i++) {
      inputKeys.add(readInt());
    }
    List<Integer> buildKeys = new ArrayList<>(keyCount);
    for (int i = 0; i < keyCount; i++) {
      buildKeys.add(readInt());
    }
    Expr condition = expr();
    boolean buildFirst = readBoolean();
    RowType rowType = rowType();
    return construct("LookupJoin at offset " + at, () -> new PlanNode.LookupJoin(input, build, kind, inputKeys,
        buildKeys, condition, buildFirst, rowType));
  }

  private PlanNode.SessionAggregate sessionAggregate(int at) {
    PlanNode input = input();
    List<Integer> keys = ints();
    int timeColumn = readInt();
    long gap = readLong();
    List<AggregateCall> calls = aggregateCalls();
    RowType rowType = rowType();
    return construct("SessionAggregate at offset " + at,
        () -> new PlanNode.SessionAggregate(input, keys, timeColumn, gap, calls, rowType));
  }

  private PlanNode.TopN topN(int at) {
    PlanNode input = input();
    List<Integer> keys = ints();
    int count = readCount(6);
    List<PlanNode.SortKey> order = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      order.add(new PlanNode.SortKey(readInt(), readBoolean(), readBoolean()));
    }
    long limit = readLong();
    int windowColumn = readInt();
    long windowEndOffset = readLong();
    RowType rowType = rowType();
    return construct("TopN at offset " + at,
        () -> new PlanNode.TopN(input, keys, order, limit, windowColumn, windowEndOffset, rowType));
  }

  private PlanNode.Deduplicate deduplicate(int at) {
    PlanNode input = input();
    List<Integer> keys = ints();
    int timeColumn = readInt();
    int windowColumn = readInt();
    long windowEndOffset = readLong();
    RowType rowType = rowType();
    return construct("Deduplicate at offset " + at,
        () -> new PlanNode.Deduplicate(input, keys, timeColumn, windowColumn, windowEndOffset, rowType));
  }

  private List<AggregateCall> aggregateCalls() {
    int count = readCount(1);
    List<AggregateCall> calls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      calls.add(aggregateCall());
    }
    return calls;
  }

  private List<Integer> ints() {
    int count = readCount(4);
    List<Integer> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      list.add(readInt());
    }
    return list;
  }

  private PlanNode.Join join(int at) {
    PlanNode left = input();
    PlanNode right = input();
    PlanNode.Join.Kind kind = PlanFormat.STREAM_JOIN_KINDS.constant(readCode(), position - 1);
    boolean leftOuter = readBoolean();
    List<Integer> leftKeys = ints();
    List<Integer> rightKeys = ints();
    int leftTime = readInt();
    int rightTime = readInt();
    long lower = readLong();
    long upper = readLong();
    RowType rowType = rowType();
    return construct("Join at offset " + at, () -> new PlanNode.Join(left, right, kind, leftOuter, leftKeys,
        rightKeys, leftTime, rightTime, lower, upper, rowType));
  }


  SourceSplit sourceSplit() {
    return new SourceSplit(readString(), readLong(), readLong());
  }

  BlockId blockId() {
    String query = readString();
    long batch = readLong();
    BlockId.Kind kind = PlanFormat.BLOCK_KINDS.constant(readCode(), position - 1);
    return new BlockId(query, batch, kind, readInt(), readInt());
  }

  BlockLocation blockLocation() {
    return new BlockLocation(readString(), blockId());
  }

  Task task() {
    int at = position;
    byte tag = readByte();
    return switch (tag) {
      case PlanFormat.TASK_MAP -> {
        String query = readString();
        long batch = readLong();
        int partition = readInt();
        SourceSplit split = readPresence() ? sourceSplit() : null;
        long previousWatermark = readLong();
        int branch = readInt();
        long processingTime = readLong();
        yield construct("MapTask at offset " + at,
            () -> new Task.MapTask(query, batch, partition, split, previousWatermark, branch, processingTime));
      }
      case PlanFormat.TASK_REDUCE -> {
        String query = readString();
        long batch = readLong();
        int partition = readInt();
        List<BlockLocation> inputs = blockLocations();
        BlockLocation previousState = readPresence() ? blockLocation() : null;
        yield new Task.ReduceTask(query, batch, partition, inputs, previousState, readLong(), readLong());
      }
      default -> throw new CodecException("unknown task tag " + tag + " at offset " + at);
    };
  }

  TaskResult taskResult() {
    List<BlockLocation> blocks = blockLocations();
    int orderCount = readCount(8);
    List<Long> blockOrder = new ArrayList<>(orderCount);
    for (int i = 0; i < orderCount; i++) {
      blockOrder.add(readLong());
    }
    BlockLocation state = readPresence() ? blockLocation() : null;
    long inputRows = readLong();
    long outputRows = readLong();
    long maxEventTime = readLong();
    long lateRows = readLong();
    long skippedRows = readLong();
    BlockLocation late = readPresence() ? blockLocation() : null;
    long stateRows = readLong();
    return new TaskResult(blocks, blockOrder, state, inputRows, outputRows, maxEventTime, lateRows, skippedRows,
        late, stateRows);
  }

  private List<BlockLocation> blockLocations() {
    int count = readCount(4 + 4 + 8 + 1 + 4 + 4);
    List<BlockLocation> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      list.add(blockLocation());
    }
    return list;
  }

  /** Builds a record whose constructor checks its arguments, turning its complaint into a CodecException. */
  private static <T> T construct(String what, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new CodecException("invalid " + what + ": " + e.getMessage(), e);
    }
  }

  private boolean readPresence() {
    return readBoolean();
  }

  private boolean readBoolean() {
    int at = position;
    byte value = readByte();
    if (value != 0 && value != 1) {
      throw new CodecException("expected a boolean (0 or 1) at offset " + at + ", got " + value);
    }
    return value == 1;
  }

  private int readCode() {
    return readByte() & 0xFF;
  }

  /** A list count, checked against the bytes left given each element takes at least {@code minBytes}. */
  private int readCount(int minBytes) {
    int at = position;
    int count = readInt();
    if (count < 0 || (long) count * minBytes > bytes.length - position) {
      throw new CodecException("invalid count " + count + " at offset " + at + " with "
          + (bytes.length - position) + " bytes left");
    }
    return count;
  }

  private byte readByte() {
    require(1);
    return bytes[position++];
  }

  private int readInt() {
    require(4);
    int value = (bytes[position] & 0xFF) << 24 | (bytes[position + 1] & 0xFF) << 16
        | (bytes[position + 2] & 0xFF) << 8 | (bytes[position + 3] & 0xFF);
    position += 4;
    return value;
  }

  private long readLong() {
    require(8);
    long high = readInt() & 0xFFFF_FFFFL;
    long low = readInt() & 0xFFFF_FFFFL;
    return high << 32 | low;
  }

  private String readString() {
    int at = position;
    int length = readInt();
    if (length < 0 || length > bytes.length - position) {
      throw new CodecException("invalid string length " + length + " at offset " + at + " with "
          + (bytes.length - position) + " bytes left");
    }
    try {
      String value = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, position, length))
          .toString();
      position += length;
      return value;
    } catch (CharacterCodingException e) {
      throw new CodecException("invalid UTF-8 in string at offset " + at, e);
    }
  }

  private void require(int count) {
    if (bytes.length - position < count) {
      throw new CodecException("truncated input: needed " + count + " bytes at offset " + position
          + ", " + (bytes.length - position) + " left");
    }
  }
}
