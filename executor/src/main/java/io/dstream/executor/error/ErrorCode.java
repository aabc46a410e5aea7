package io.dstream.executor.error;

/** Error codes grouped as user, internal and resource errors, each with its SQLSTATE. */
public enum ErrorCode {
  SYNTAX_ERROR(Kind.USER, "42000"),
  VALIDATION_ERROR(Kind.USER, "42000"),
  NOT_FOUND(Kind.USER, "42S02"),
  ALREADY_EXISTS(Kind.USER, "42S01"),
  UNSUPPORTED(Kind.USER, "0A000"),
  BAD_INPUT_DATA(Kind.USER, "22000"),
  SOURCE_ERROR(Kind.USER, "58030"),
  /** A user-defined function threw while evaluating a row (SQLSTATE: external routine exception). */
  FUNCTION_ERROR(Kind.USER, "38000"),
  /** An object that exists but cannot be used now, e.g. a materialized view whose query failed. */
  NOT_AVAILABLE(Kind.USER, "55000"),
  INTERNAL_ERROR(Kind.INTERNAL, "XX000"),
  RESOURCE_EXHAUSTED(Kind.RESOURCE, "53000"),
  /** A worker process went away; the driver recomputes what it held and retries. */
  WORKER_LOST(Kind.RESOURCE, "08006");

  /** Who must act on an error: the user, the developers, or the operator. */
  public enum Kind { USER, INTERNAL, RESOURCE }

  private final Kind kind;
  private final String sqlState;

  ErrorCode(Kind kind, String sqlState) {
    this.kind = kind;
    this.sqlState = sqlState;
  }

  public Kind kind() {
    return kind;
  }

  public String sqlState() {
    return sqlState;
  }
}
