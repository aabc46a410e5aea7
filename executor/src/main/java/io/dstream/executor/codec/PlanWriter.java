package io.dstream.executor.codec;

import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.plan.AggregateCall;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.scheduler.Task;
import io.dstream.executor.scheduler.TaskResult;
import io.dstream.executor.source.SourceSplit;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one message of the plan format (see {@link PlanFormat}), record by record, field by
 * field, into a growing byte array. {@link PlanReader} mirrors every method here. Single use,
 * not thread-safe.
 */
final class PlanWriter {
  private byte[] buffer = new byte[256];
  private int size;
  private int depth;
  /** Index in the node table of each plan node written, by identity, so shared inputs are written once. */
  private final Map<PlanNode, Integer> nodeIndex = new IdentityHashMap<>();
  private final List<PlanNode> nodes = new ArrayList<>();

  PlanWriter(PlanFormat.Message message) {
    writeInt(PlanFormat.VERSION);
    writeCode(PlanFormat.MESSAGES.code(message));
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  void dataType(DataType type) {
    writeCode(PlanFormat.KINDS.code(type.kind()));
    writeInt(type.precision());
    writeInt(type.scale());
    writeBoolean(type.nullable());
  }

  void rowType(RowType type) {
    writeInt(type.size());
    for (Column column : type.columns()) {
      writeString(column.name(), "column name");
      dataType(column.type());
    }
  }

  void expr(Expr expr) {
    if (++depth > PlanFormat.MAX_DEPTH) {
      throw new CodecException("expression nested deeper than " + PlanFormat.MAX_DEPTH + " levels");
    }
    if (expr instanceof Expr.InputRef ref) {
      writeByte(PlanFormat.EXPR_INPUT_REF);
      writeInt(ref.index());
      dataType(ref.type());
    } else if (expr instanceof Expr.Literal literal) {
      writeByte(PlanFormat.EXPR_LITERAL);
      dataType(literal.type());
      literalValue(literal);
    } else if (expr instanceof Expr.Call call) {
      writeByte(PlanFormat.EXPR_CALL);
      writeCode(PlanFormat.OPERATORS.code(call.operator()));
      writeInt(call.operands().size());
      for (Expr operand : call.operands()) {
        expr(operand);
      }
      dataType(call.type());
    } else if (expr instanceof Expr.FunctionCall call) {
      writeByte(PlanFormat.EXPR_FUNCTION_CALL);
      writeString(call.name(), "function name");
      writeString(call.className(), "function class");
      writeInt(call.operands().size());
      for (int i = 0; i < call.operands().size(); i++) {
        writeString(call.parameterTypes().get(i), "function parameter type");
        expr(call.operands().get(i));
      }
      dataType(call.type());
    } else {
      throw new CodecException("unknown expression class " + expr.getClass().getName());
    }
    depth--;
  }

  /** A value tag and the value, which must be of the physical Java class of the literal's type. */
  private void literalValue(Expr.Literal literal) {
    Object value = literal.value();
    if (value == null) {
      writeByte(PlanFormat.VALUE_NULL);
      return;
    }
    DataType.Physical physical = literal.type().physical();
    if (physical == DataType.Physical.LONG && value instanceof Long v) {
      writeByte(PlanFormat.VALUE_LONG);
      writeLong(v);
    } else if (physical == DataType.Physical.DOUBLE && value instanceof Double v) {
      writeByte(PlanFormat.VALUE_DOUBLE);
      writeLong(Double.doubleToRawLongBits(v));
    } else if (physical == DataType.Physical.BOOLEAN && value instanceof Boolean v) {
      writeByte(PlanFormat.VALUE_BOOLEAN);
      writeBoolean(v);
    } else if (physical == DataType.Physical.STRING && value instanceof String v) {
      writeByte(PlanFormat.VALUE_STRING);
      writeString(v, "literal value");
    } else {
      throw new CodecException("literal of type " + literal.type() + " holds a "
          + value.getClass().getName() + "; its physical class " + physical + " needs "
          + PlanReader.javaClassOf(physical));
    }
  }

  void aggregateCall(AggregateCall call) {
    writeCode(PlanFormat.AGGREGATES.code(call.kind()));
    writeInt(call.argument());
    writeOptionalPresence(call.argumentType() != null);
    if (call.argumentType() != null) {
      dataType(call.argumentType());
    }
    dataType(call.resultType());
    writeString(call.name(), "aggregate name");
    writeInt(call.filter());
    writeBoolean(call.distinct());
  }

  /** A node table holding {@code root} and everything below it, then the root's index. */
  void plan(PlanNode root) {
    collect(root, 0);
    nodeTable();
    writeInt(nodeIndex.get(root));
  }

  /**
   * A DAG: its query id, the node table, the input branches (scan, map operators, side of the
   * stateful node), the stateful node if any, the reduce operators, partitions and output type.
   */
  void queryDag(QueryDag dag) {
    writeString(dag.query(), "QueryDag.query");
    for (QueryDag.Branch branch : dag.branches()) {
      collect(branch.scan(), 0);
      for (PlanNode node : branch.mapOperators()) {
        collect(node, 0);
      }
    }
    if (dag.stateful() != null) {
      collect(dag.stateful(), 0);
    }
    for (PlanNode node : dag.reduceOperators()) {
      collect(node, 0);
    }
    nodeTable();
    writeInt(dag.branches().size());
    for (QueryDag.Branch branch : dag.branches()) {
      writeInt(nodeIndex.get(branch.scan()));
      nodeReferences(branch.mapOperators());
      writeInt(branch.side());
    }
    writeOptionalPresence(dag.stateful() != null);
    if (dag.stateful() != null) {
      writeInt(nodeIndex.get(dag.stateful()));
    }
    nodeReferences(dag.reduceOperators());
    writeInt(dag.partitions());
    writeOptionalPresence(dag.outputType() != null);
    if (dag.outputType() != null) {
      rowType(dag.outputType());
    }
  }

  private void nodeReferences(List<PlanNode> list) {
    writeInt(list.size());
    for (PlanNode node : list) {
      writeInt(nodeIndex.get(node));
    }
  }

  /** Numbers {@code node} and its inputs, inputs first, so that a node only refers backwards. */
  private void collect(PlanNode node, int level) {
    if (node == null) {
      throw new CodecException("plan node is null");
    }
    if (nodeIndex.containsKey(node)) {
      return;
    }
    if (level > PlanFormat.MAX_DEPTH) {
      throw new CodecException("plan deeper than " + PlanFormat.MAX_DEPTH + " nodes");
    }
    for (PlanNode input : node.inputs()) {
      collect(input, level + 1);
    }
    nodeIndex.put(node, nodes.size());
    nodes.add(node);
  }

  private void nodeTable() {
    writeInt(nodes.size());
    for (PlanNode node : nodes) {
      node(node);
    }
  }

  private void node(PlanNode node) {
    if (node instanceof PlanNode.Scan scan) {
      writeByte(PlanFormat.NODE_SCAN);
      writeString(scan.stream(), "Scan.stream");
      rowType(scan.rowType());
      writeInt(scan.timeColumn());
      writeLong(scan.watermarkDelayMillis());
    } else if (node instanceof PlanNode.Filter filter) {
      writeByte(PlanFormat.NODE_FILTER);
      writeInt(nodeIndex.get(filter.input()));
      expr(filter.condition());
    } else if (node instanceof PlanNode.Project project) {
      writeByte(PlanFormat.NODE_PROJECT);
      writeInt(nodeIndex.get(project.input()));
      writeInt(project.expressions().size());
      for (Expr e : project.expressions()) {
        expr(e);
      }
      rowType(project.rowType());
    } else if (node instanceof PlanNode.WindowAssign window) {
      writeByte(PlanFormat.NODE_WINDOW_ASSIGN);
      writeInt(nodeIndex.get(window.input()));
      writeInt(window.timeColumn());
      writeLong(window.sizeMillis());
      writeLong(window.slideMillis());
      writeLong(window.offsetMillis());
      writeBoolean(window.dropLate());
      writeBoolean(window.cumulative());
      rowType(window.rowType());
    } else if (node instanceof PlanNode.Aggregate aggregate) {
      writeByte(PlanFormat.NODE_AGGREGATE);
      writeInt(nodeIndex.get(aggregate.input()));
      writeInt(aggregate.groupKeys().size());
      for (int key : aggregate.groupKeys()) {
        writeInt(key);
      }
      writeInt(aggregate.aggregates().size());
      for (AggregateCall call : aggregate.aggregates()) {
        aggregateCall(call);
      }
      writeInt(aggregate.windowKey());
      writeLong(aggregate.windowEndOffsetMillis());
      rowType(aggregate.rowType());
      writeLong(aggregate.allowedLatenessMillis());
      writeBoolean(aggregate.changelog());
    } else if (node instanceof PlanNode.StaticTable table) {
      writeByte(PlanFormat.NODE_STATIC_TABLE);
      writeString(table.table(), "StaticTable.table");
      rowType(table.rowType());
      if (!table.data().isLoaded()) {
        throw new CodecException("static table " + table.table() + " is not loaded: its rows are read when"
            + " the query starts, and only then can the plan be shipped");
      }
      writeInt(table.data().rows());
      byte[] ipc = table.data().ipc();
      writeInt(ipc.length);
      ensure(ipc.length);
      System.arraycopy(ipc, 0, buffer, size, ipc.length);
      size += ipc.length;
    } else if (node instanceof PlanNode.LookupJoin join) {
      writeByte(PlanFormat.NODE_LOOKUP_JOIN);
      writeInt(nodeIndex.get(join.input()));
      writeInt(nodeIndex.get(join.build()));
      writeCode(PlanFormat.JOIN_KINDS.code(join.kind()));
      writeInt(join.inputKeys().size());
      for (int key : join.inputKeys()) {
        writeInt(key);
      }
      for (int key : join.buildKeys()) {
        writeInt(key);
      }
      expr(join.condition());
      writeBoolean(join.buildFirst());
      rowType(join.rowType());
    } else if (node instanceof PlanNode.SlidingAggregate sliding) {
      writeByte(PlanFormat.NODE_SLIDING_AGGREGATE);
      writeInt(nodeIndex.get(sliding.input()));
      ints(sliding.groupKeys());
      writeInt(sliding.aggregates().size());
      for (AggregateCall call : sliding.aggregates()) {
        aggregateCall(call);
      }
      writeInt(sliding.windowKey());
      writeLong(sliding.windowEndOffsetMillis());
      rowType(sliding.rowType());
      writeLong(sliding.sizeMillis());
      writeLong(sliding.slideMillis());
      ints(sliding.startKeys());
      ints(sliding.endKeys());
    } else if (node instanceof PlanNode.SessionAggregate session) {
      writeByte(PlanFormat.NODE_SESSION_AGGREGATE);
      writeInt(nodeIndex.get(session.input()));
      writeInt(session.keys().size());
      for (int key : session.keys()) {
        writeInt(key);
      }
      writeInt(session.timeColumn());
      writeLong(session.gapMillis());
      writeInt(session.aggregates().size());
      for (AggregateCall call : session.aggregates()) {
        aggregateCall(call);
      }
      rowType(session.rowType());
    } else if (node instanceof PlanNode.Union union) {
      writeByte(PlanFormat.NODE_UNION);
      nodeReferences(union.inputs());
      rowType(union.rowType());
    } else if (node instanceof PlanNode.Join join) {
      writeByte(PlanFormat.NODE_JOIN);
      writeInt(nodeIndex.get(join.left()));
      writeInt(nodeIndex.get(join.right()));
      writeCode(PlanFormat.STREAM_JOIN_KINDS.code(join.kind()));
      writeBoolean(join.leftOuter());
      ints(join.leftKeys());
      ints(join.rightKeys());
      writeInt(join.leftTime());
      writeInt(join.rightTime());
      writeLong(join.lowerMillis());
      writeLong(join.upperMillis());
      rowType(join.rowType());
    } else if (node instanceof PlanNode.TopN topN) {
      writeByte(PlanFormat.NODE_TOP_N);
      writeInt(nodeIndex.get(topN.input()));
      writeInt(topN.partitionKeys().size());
      for (int key : topN.partitionKeys()) {
        writeInt(key);
      }
      writeInt(topN.order().size());
      for (PlanNode.SortKey key : topN.order()) {
        writeInt(key.column());
        writeBoolean(key.descending());
        writeBoolean(key.nullsFirst());
      }
      writeLong(topN.limit());
      writeInt(topN.windowColumn());
      writeLong(topN.windowEndOffsetMillis());
      rowType(topN.rowType());
    } else if (node instanceof PlanNode.Deduplicate dedup) {
      writeByte(PlanFormat.NODE_DEDUPLICATE);
      writeInt(nodeIndex.get(dedup.input()));
      writeInt(dedup.keys().size());
      for (int key : dedup.keys()) {
        writeInt(key);
      }
      writeInt(dedup.timeColumn());
      writeInt(dedup.windowColumn());
      writeLong(dedup.windowEndOffsetMillis());
      rowType(dedup.rowType());
    } else {
      throw new CodecException("unknown plan node class " + node.getClass().getName());
    }
  }

  private void ints(List<Integer> values) {
    writeInt(values.size());
    for (int v : values) {
      writeInt(v);
    }
  }

  void sourceSplit(SourceSplit split) {
    writeString(split.path(), "SourceSplit.path");
    writeLong(split.start());
    writeLong(split.end());
  }

  void blockId(BlockId id) {
    writeString(id.query(), "BlockId.query");
    writeLong(id.batch());
    writeCode(PlanFormat.BLOCK_KINDS.code(id.kind()));
    writeInt(id.partition());
    writeInt(id.part());
  }

  void blockLocation(BlockLocation location) {
    if (location == null) {
      throw new CodecException("block location is null");
    }
    writeString(location.worker(), "BlockLocation.worker");
    blockId(location.block());
  }

  void task(Task task) {
    if (task instanceof Task.MapTask map) {
      writeByte(PlanFormat.TASK_MAP);
      writeString(map.query(), "MapTask.query");
      writeLong(map.batch());
      writeInt(map.partition());
      writeOptionalPresence(map.split() != null);
      if (map.split() != null) {
        sourceSplit(map.split());
      }
      writeLong(map.previousWatermark());
      writeInt(map.branch());
      writeLong(map.processingTime());
    } else if (task instanceof Task.ReduceTask reduce) {
      writeByte(PlanFormat.TASK_REDUCE);
      writeString(reduce.query(), "ReduceTask.query");
      writeLong(reduce.batch());
      writeInt(reduce.partition());
      writeInt(reduce.inputs().size());
      for (BlockLocation input : reduce.inputs()) {
        blockLocation(input);
      }
      writeOptionalPresence(reduce.previousState() != null);
      if (reduce.previousState() != null) {
        blockLocation(reduce.previousState());
      }
      writeLong(reduce.watermark());
      writeLong(reduce.previousWatermark());
    } else {
      throw new CodecException("unknown task class " + task.getClass().getName());
    }
  }

  void taskResult(TaskResult result) {
    writeInt(result.blocks().size());
    for (BlockLocation block : result.blocks()) {
      blockLocation(block);
    }
    writeInt(result.blockOrder().size());
    for (long order : result.blockOrder()) {
      writeLong(order);
    }
    writeOptionalPresence(result.state() != null);
    if (result.state() != null) {
      blockLocation(result.state());
    }
    writeLong(result.inputRows());
    writeLong(result.outputRows());
    writeLong(result.maxEventTime());
    writeLong(result.lateRows());
    writeLong(result.skippedRows());
    writeOptionalPresence(result.late() != null);
    if (result.late() != null) {
      blockLocation(result.late());
    }
    writeLong(result.stateRows());
  }

  private void writeOptionalPresence(boolean present) {
    writeBoolean(present);
  }

  private void writeBoolean(boolean value) {
    writeByte(value ? 1 : 0);
  }

  private void writeCode(int code) {
    writeByte(code);
  }

  private void writeByte(int value) {
    ensure(1);
    buffer[size++] = (byte) value;
  }

  private void writeInt(int value) {
    ensure(4);
    buffer[size++] = (byte) (value >>> 24);
    buffer[size++] = (byte) (value >>> 16);
    buffer[size++] = (byte) (value >>> 8);
    buffer[size++] = (byte) value;
  }

  private void writeLong(long value) {
    writeInt((int) (value >>> 32));
    writeInt((int) value);
  }

  /** A required string as strict UTF-8; {@code what} names the field in errors. */
  private void writeString(String value, String what) {
    if (value == null) {
      throw new CodecException(what + " is null");
    }
    ByteBuffer utf8;
    try {
      CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      utf8 = encoder.encode(CharBuffer.wrap(value));
    } catch (CharacterCodingException e) {
      throw new CodecException(what + " is not valid Unicode (unpaired surrogate)", e);
    }
    int length = utf8.remaining();
    writeInt(length);
    ensure(length);
    utf8.get(buffer, size, length);
    size += length;
  }

  private void ensure(int extra) {
    if (size + extra > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
    }
  }
}
