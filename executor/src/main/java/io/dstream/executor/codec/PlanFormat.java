package io.dstream.executor.codec;

import io.dstream.executor.block.BlockId;
import io.dstream.executor.plan.AggregateCall;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.DataType;

/**
 * The plan wire format, version 2 (version 1 without aggregate filters, DISTINCT, cumulative windows and
 * processing time): its constants and the stable codes of enum constants. All
 * numbers are big-endian; the layout of each record is in {@link PlanWriter}.
 *
 * <p>A message is {@code int version, byte kind, body}, and the body must end exactly at the end
 * of the bytes. Inside a body: {@code bool} is one byte 0 or 1; a string is an int byte length
 * and that many bytes of UTF-8; a list is an int count and its elements; an optional value is a
 * presence byte 0 or 1 and the value when 1; an enum constant is its one-byte code below. Codes
 * are fixed forever: a new constant gets a new code, and a removed one's code is never reused.
 */
final class PlanFormat {
  static final int VERSION = 2;

  /** Deepest nesting of expressions accepted, so that hostile input cannot exhaust the stack. */
  static final int MAX_DEPTH = 1000;

  /** The top-level record a message holds. */
  enum Message {
    DATA_TYPE, ROW_TYPE, EXPR, PLAN, AGGREGATE_CALL, QUERY_DAG, SOURCE_SPLIT, BLOCK_ID,
    BLOCK_LOCATION, TASK, TASK_RESULT
  }

  static final byte EXPR_INPUT_REF = 1;
  static final byte EXPR_LITERAL = 2;
  static final byte EXPR_CALL = 3;
  static final byte EXPR_FUNCTION_CALL = 4;

  static final byte VALUE_NULL = 0;
  static final byte VALUE_LONG = 1;
  static final byte VALUE_DOUBLE = 2;
  static final byte VALUE_BOOLEAN = 3;
  static final byte VALUE_STRING = 4;

  static final byte NODE_SCAN = 1;
  static final byte NODE_FILTER = 2;
  static final byte NODE_PROJECT = 3;
  static final byte NODE_WINDOW_ASSIGN = 4;
  static final byte NODE_AGGREGATE = 5;
  /** A static table's rows: its name, row type, row count and Arrow IPC bytes (int length first). */
  static final byte NODE_STATIC_TABLE = 20;
  static final byte NODE_LOOKUP_JOIN = 21;
  static final byte NODE_SESSION_AGGREGATE = 6;
  static final byte NODE_SLIDING_AGGREGATE = 40;
  static final byte NODE_UNION = 8;
  static final byte NODE_JOIN = 9;
  /** A top-N per window: input, partition keys, sort keys (column, descending, nulls first), limit, window. */
  static final byte NODE_TOP_N = 30;
  static final byte NODE_DEDUPLICATE = 31;

  static final byte TASK_MAP = 1;
  static final byte TASK_REDUCE = 2;

  static final CodeTable<Message> MESSAGES = new CodeTable<>(Message.class, m -> switch (m) {
    case DATA_TYPE -> 1;
    case ROW_TYPE -> 2;
    case EXPR -> 3;
    case PLAN -> 4;
    case AGGREGATE_CALL -> 5;
    case QUERY_DAG -> 6;
    case SOURCE_SPLIT -> 7;
    case BLOCK_ID -> 8;
    case BLOCK_LOCATION -> 9;
    case TASK -> 10;
    case TASK_RESULT -> 11;
  });

  static final CodeTable<DataType.Kind> KINDS = new CodeTable<>(DataType.Kind.class, k -> switch (k) {
    case BOOLEAN -> 1;
    case TINYINT -> 2;
    case SMALLINT -> 3;
    case INTEGER -> 4;
    case BIGINT -> 5;
    case DECIMAL -> 6;
    case REAL -> 7;
    case DOUBLE -> 8;
    case VARCHAR -> 9;
    case CHAR -> 10;
    case TIMESTAMP -> 11;
    case DATE -> 12;
    case TIME -> 13;
    case INTERVAL_DAY_TIME -> 14;
    case INTERVAL_YEAR_MONTH -> 15;
  });

  static final CodeTable<Operator> OPERATORS = new CodeTable<>(Operator.class, o -> switch (o) {
    case PLUS -> 1;
    case MINUS -> 2;
    case TIMES -> 3;
    case DIVIDE -> 4;
    case MOD -> 5;
    case NEGATE -> 6;
    case EQUALS -> 7;
    case NOT_EQUALS -> 8;
    case LESS_THAN -> 9;
    case LESS_THAN_OR_EQUAL -> 10;
    case GREATER_THAN -> 11;
    case GREATER_THAN_OR_EQUAL -> 12;
    case AND -> 13;
    case OR -> 14;
    case NOT -> 15;
    case IS_NULL -> 16;
    case IS_NOT_NULL -> 17;
    case IS_TRUE -> 18;
    case IS_NOT_TRUE -> 19;
    case IS_FALSE -> 20;
    case IS_NOT_FALSE -> 21;
    case CASE -> 22;
    case CAST -> 23;
    case COALESCE -> 24;
    case LIKE -> 25;
    case NOT_LIKE -> 26;
    case UPPER -> 27;
    case LOWER -> 28;
    case CHAR_LENGTH -> 29;
    case SUBSTRING -> 30;
    case CONCAT -> 31;
    case TRIM -> 32;
    case POSITION -> 33;
    case ABS -> 34;
    case FLOOR -> 35;
    case CEIL -> 36;
    case WINDOW_FLOOR -> 37;
    case PROCTIME -> 38;
  });

  static final CodeTable<AggregateCall.Kind> AGGREGATES =
      new CodeTable<>(AggregateCall.Kind.class, k -> switch (k) {
        case COUNT -> 1;
        case SUM -> 2;
        case MIN -> 3;
        case MAX -> 4;
        case AVG -> 5;
      });

  static final CodeTable<PlanNode.Join.Kind> STREAM_JOIN_KINDS = new CodeTable<>(PlanNode.Join.Kind.class, k -> switch (k) {
    case INTERVAL -> 1;
    case WINDOW -> 2;
  });

  static final CodeTable<BlockId.Kind> BLOCK_KINDS = new CodeTable<>(BlockId.Kind.class, k -> switch (k) {
    case SHUFFLE -> 1;
    case OUTPUT -> 2;
    case STATE -> 3;
    case INPUT -> 4;
    case LATE -> 5;
  });

  static final CodeTable<PlanNode.JoinKind> JOIN_KINDS = new CodeTable<>(PlanNode.JoinKind.class, k -> switch (k) {
    case INNER -> 1;
    case LEFT -> 2;
  });

  private PlanFormat() {}
}
