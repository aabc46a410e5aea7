package io.dstream.executor.plan;

/** Scalar operators the executor evaluates. */
public enum Operator {
  PLUS, MINUS, TIMES, DIVIDE, MOD, NEGATE,
  EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL,
  AND, OR, NOT, IS_NULL, IS_NOT_NULL, IS_TRUE, IS_NOT_TRUE, IS_FALSE, IS_NOT_FALSE,
  /** Operands: when1, then1, when2, then2, ..., else. */
  CASE,
  CAST,
  COALESCE,
  LIKE, NOT_LIKE,
  UPPER, LOWER, CHAR_LENGTH, SUBSTRING, CONCAT, TRIM, POSITION,
  ABS, FLOOR, CEIL,
  /** Floor of a timestamp to a multiple of the interval (operand 2), after an offset (operand 3). */
  WINDOW_FLOOR,
  /**
   * No operands: the processing time of the task's micro-batch (the start of its interval), as
   * the kernels bind it before evaluating (see KernelContext#processingTime).
   */
  PROCTIME
}
