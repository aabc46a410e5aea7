package io.dstream.executor.codec;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.plan.AggregateCall;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.scheduler.Task;
import io.dstream.executor.scheduler.TaskResult;
import io.dstream.executor.source.SourceSplit;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Encodes the driver's and workers' control records (types, plans, DAGs, tasks, results) as a
 * compact, versioned binary format and decodes them back to equal records. Each message starts
 * with the format version and the kind of record it holds; the layout is described in
 * {@link PlanFormat} and {@link PlanWriter}. Stateless and thread-safe.
 *
 * <p>Decoding never trusts its input: an unknown version, a message of another kind, truncated
 * or trailing bytes, an unknown code, an out-of-range count or reference, invalid UTF-8 or a
 * literal whose value does not fit its type all throw {@link CodecException}. Encoding throws
 * {@link CodecException} for a record the format cannot represent (a required field that is
 * null, a literal value of the wrong Java class, nesting deeper than 1000 levels).
 */
public final class PlanCodec {
  /** The version written at the start of every message, and the only one {@code decode*} accepts. */
  public static final int FORMAT_VERSION = PlanFormat.VERSION;

  private PlanCodec() {}

  public static byte[] encode(DataType type) {
    return encode(PlanFormat.Message.DATA_TYPE, type, PlanWriter::dataType);
  }

  public static DataType decodeDataType(byte[] bytes) {
    return decode(bytes, PlanFormat.Message.DATA_TYPE, PlanReader::dataType);
  }

  public static byte[] encode(RowType type) {
    return encode(PlanFormat.Message.ROW_TYPE, type, PlanWriter::rowType);
  }

  public static RowType decodeRowType(byte[] bytes) {
    return decode(bytes, PlanFormat.Message.ROW_TYPE, PlanReader::rowType);
  }

  public static byte[] encode(Expr expr) {
    return encode(PlanFormat.Message.EXPR, expr, PlanWriter::expr);
  }

  public static Expr decodeExpr(byte[] bytes) {
    return decode(bytes, PlanFormat.Message.EXPR, PlanReader::expr);
  }

  /** A plan tree; inputs shared by several nodes are written once and decoded as one instance. */
  public static byte[] encode(PlanNode plan) {
    return encode(PlanFormat.Message.PLAN, plan, PlanWriter::plan);
  }

  public static PlanNode decodePlan(byte[] bytes) {
    return decode(bytes, PlanFormat.Message.PLAN, PlanReader::plan);
  }

  public static byte[] encode(AggregateCall call) {
    return encode(PlanFormat.Message.AGGREGATE_CALL, call, PlanWriter::aggregateCall);
  }

  public static AggregateCall decodeAggregateCall(byte[] bytes) {
    return decode(bytes, PlanFormat.Message.AGGREGATE_CALL, PlanReader::aggregateCall);
  }

  /** A DAG; its stages' operators share their inputs, which are written once. */
  public static byte[] encode(QueryDag dag) {
    return encode(PlanFormat.Message.QUERY_DAG, dag, PlanWriter::queryDag);
  }

  public static QueryDag decodeQueryDag(byte[] bytes) {
    return decode(bytes, PlanFormat.Message.QUERY_DAG, PlanReader::queryDag);
  }

  public static byte[] encode(SourceSplit split) {
    return encode(PlanFormat.Message.SOURCE_SPLIT, split, PlanWriter::sourceSplit);
  }

  public static SourceSplit decodeSourceSplit(byte[] bytes) {
    return decode(bytes, PlanFormat.Message.SOURCE_SPLIT, PlanReader::sourceSplit);
  }

  public static byte[] encode(BlockId id) {
    return encode(PlanFormat.Message.BLOCK_ID, id, PlanWriter::blockId);
  }

  public static BlockId decodeBlockId(byte[] bytes) {
    return decode(bytes, PlanFormat.Message.BLOCK_ID, PlanReader::blockId);
  }

  public static byte[] encode(BlockLocation location) {
    return encode(PlanFormat.Message.BLOCK_LOCATION, location, PlanWriter::blockLocation);
  }

  public static BlockLocation decodeBlockLocation(byte[] bytes) {
    return decode(bytes, PlanFormat.Message.BLOCK_LOCATION, PlanReader::blockLocation);
  }

  public static byte[] encode(Task task) {
    return encode(PlanFormat.Message.TASK, task, PlanWriter::task);
  }

  public static Task decodeTask(byte[] bytes) {
    return decode(bytes, PlanFormat.Message.TASK, PlanReader::task);
  }

  public static byte[] encode(TaskResult result) {
    return encode(PlanFormat.Message.TASK_RESULT, result, PlanWriter::taskResult);
  }

  public static TaskResult decodeTaskResult(byte[] bytes) {
    return decode(bytes, PlanFormat.Message.TASK_RESULT, PlanReader::taskResult);
  }

  private static <T> byte[] encode(PlanFormat.Message message, T value, BiConsumer<PlanWriter, T> body) {
    requireNonNull(value, "value is null");
    PlanWriter writer = new PlanWriter(message);
    body.accept(writer, value);
    return writer.toByteArray();
  }

  private static <T> T decode(byte[] bytes, PlanFormat.Message message, Function<PlanReader, T> body) {
    PlanReader reader = new PlanReader(bytes, message);
    T value = body.apply(reader);
    reader.end();
    return value;
  }
}
