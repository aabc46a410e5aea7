package io.dstream.jdbcserver.engine;

import io.dstream.executor.type.RowType;
import java.util.List;

/**
 * The result of one statement. Row values use these Java forms, by column kind: BOOLEAN
 * Boolean; TINYINT to BIGINT Long; DECIMAL BigDecimal; REAL and DOUBLE Double; VARCHAR and CHAR
 * String; TIMESTAMP Long (epoch milliseconds, UTC); DATE Long (epoch days); TIME Long (millis of
 * day); intervals Long; SQL NULL null.
 */
public sealed interface StatementResult {

  /** DDL and other statements without rows. */
  record UpdateCount(long count) implements StatementResult {}

  /** A finite result, such as SHOW STREAMS or EXPLAIN. */
  record RowSet(RowType columns, List<Object[]> rows) implements StatementResult {
    public RowSet {
      rows = List.copyOf(rows);
    }
  }

  /** A push query: rows arrive as batches complete until the input ends or it is closed. */
  non-sealed interface PushStream extends StatementResult, AutoCloseable {
    RowType columns();

    /**
     * Waits up to {@code timeoutMillis} for rows and returns at most {@code maxRows} of them,
     * possibly none. Throws {@code EngineException} if the query failed.
     */
    Polled poll(int maxRows, long timeoutMillis) throws InterruptedException;

    /** Stops the query and frees its resources; idempotent. */
    @Override
    void close();
  }

  /** Rows taken from a push stream; {@code done} once the stream has ended and is drained. */
  record Polled(List<Object[]> rows, boolean done) {}
}
