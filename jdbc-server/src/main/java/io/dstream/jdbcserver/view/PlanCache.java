package io.dstream.jdbcserver.view;

import io.dstream.executor.type.RowType;
import io.dstream.planner.schema.TypeMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * Prepared pull queries, kept for reuse: Calcite's parse, validation, planning and code
 * generation cost tens of milliseconds per query, far more than running it over a view. A
 * {@link Plan} is one embedded connection with one prepared statement whose tables read the
 * snapshots bound to it for one execution; a plan is used by one thread at a time and goes back
 * to the cache after it. Plans are keyed by the SQL text and the names and column types of
 * every input, so a view dropped and created again with other columns gets new plans. At most
 * {@value #MAX_KEYS} texts and {@value #MAX_IDLE_PER_KEY} idle plans of each are kept; the least
 * recently used text goes first, and its connections are closed.
 */
final class PlanCache {
  static final int MAX_KEYS = 32;
  static final int MAX_IDLE_PER_KEY = 4;

  private final Map<String, Deque<Plan>> idle = new LinkedHashMap<>(16, 0.75f, true);

  /** A plan of {@code sql} over {@code inputs}, bound to their snapshots: cached, or prepared now. */
  Plan take(String sql, List<PullQuery.Input> inputs) throws SQLException {
    String key = key(sql, inputs);
    Plan plan = null;
    synchronized (this) {
      Deque<Plan> plans = idle.get(key);
      if (plans != null) {
        plan = plans.poll();
      }
    }
    if (plan == null) {
      plan = Plan.prepare(key, sql, inputs);
    }
    plan.bind(inputs);
    return plan;
  }

  /** Gives back a plan that ran without error: it is kept, or closed if enough are kept. */
  void release(Plan plan) {
    plan.unbind();
    Plan evicted = null;
    List<Plan> closed = List.of();
    synchronized (this) {
      Deque<Plan> plans = idle.computeIfAbsent(plan.key, k -> new ArrayDeque<>());
      if (plans.size() < MAX_IDLE_PER_KEY) {
        plans.push(plan);
      } else {
        evicted = plan;
      }
      if (idle.size() > MAX_KEYS) {
        Map.Entry<String, Deque<Plan>> eldest = idle.entrySet().iterator().next();
        idle.remove(eldest.getKey());
        closed = List.copyOf(eldest.getValue());
      }
    }
    if (evicted != null) {
      evicted.close();
    }
    closed.forEach(Plan::close);
  }

  /** Idle plans kept now, for tests. */
  synchronized int idlePlans() {
    return idle.values().stream().mapToInt(Deque::size).sum();
  }

  private static String key(String sql, List<PullQuery.Input> inputs) {
    StringBuilder key = new StringBuilder(sql);
    inputs.stream().sorted(Comparator.comparing(i -> i.name().toLowerCase(java.util.Locale.ROOT)))
        .forEach(i -> key.append('\u0000').append(i.name()).append(':').append(i.rowType()));
    return key.toString();
  }

  /** One prepared statement on its own connection, and the snapshots its tables read. */
  static final class Plan implements AutoCloseable {
    private final String key;
    private final Connection connection;
    private final PreparedStatement statement;
    private final Map<String, ViewSnapshot> bound;

    private Plan(String key, Connection connection, PreparedStatement statement, Map<String, ViewSnapshot> bound) {
      this.key = key;
      this.connection = connection;
      this.statement = statement;
      this.bound = bound;
    }

    static Plan prepare(String key, String sql, List<PullQuery.Input> inputs) throws SQLException {
      Map<String, ViewSnapshot> bound = new HashMap<>();
      Map<String, Table> tables = new HashMap<>();
      for (PullQuery.Input input : inputs) {
        bound.put(input.name(), input.snapshot());
        tables.put(input.name(), new BoundTable(input.name(), input.rowType(), input.snapshot().rowCount(), bound));
      }
      Connection connection = PullQuery.open(tables);
      try {
        return new Plan(key, connection, connection.prepareStatement(sql), bound);
      } catch (SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
    }

    PreparedStatement statement() {
      return statement;
    }

    void bind(List<PullQuery.Input> inputs) throws SQLException {
      for (PullQuery.Input input : inputs) {
        bound.put(input.name(), input.snapshot());
      }
      statement.clearParameters();
    }

    /** Lets go of the snapshots, so that an idle plan holds no rows. */
    void unbind() {
      bound.replaceAll((name, snapshot) -> ViewSnapshot.EMPTY);
    }

    @Override
    public void close() {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the connection is embedded; nothing is left open by a failed close
      }
    }
  }

  /** A view or table as a Calcite table that reads whatever snapshot is bound to its name. */
  static final class BoundTable extends AbstractTable implements ScannableTable {
    private final String name;
    private final RowType rowType;
    private final long rowCountAtPrepare;
    private final Map<String, ViewSnapshot> bound;

    BoundTable(String name, RowType rowType, long rowCountAtPrepare, Map<String, ViewSnapshot> bound) {
      this.name = name;
      this.rowType = rowType;
      this.rowCountAtPrepare = rowCountAtPrepare;
      this.bound = bound;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory factory) {
      return TypeMapping.toRelDataType(rowType, factory);
    }

    @Override
    public Statistic getStatistic() {
      return Statistics.of(rowCountAtPrepare, List.of());
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root) {
      return Linq4j.asEnumerable(bound.get(name).rows());
    }
  }
}
