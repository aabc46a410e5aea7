package io.dstream.jdbcserver.view;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * {@code SELECT STREAM <items> FROM view [WHERE <condition>]}: a subscription to a materialized
 * view's changelog. Each change the view's query commits (and, first, the view's rows when the
 * subscription starts, as '+I') goes through the query's projection and filter, run by Calcite
 * over that batch of changes, and the surviving rows, with their operation as the first column
 * {@code op}, go to the reader. Applying them in order rebuilds the filtered, projected view.
 *
 * <p>A filter and a projection apply to each change on its own, so they are exact on a
 * changelog; aggregates, grouping, ordering and joins are not, and are refused: those are pull
 * queries, or a view of their own.
 */
public final class ChangeFeed implements ViewSubscriber {
  /** The name of the operation column in the table the feed's query reads. */
  private static final String OP = "$op";
  private static final Set<String> AGGREGATES = Set.of("COUNT", "SUM", "MIN", "MAX", "AVG", "SUM0", "$SUM0",
      "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VARIANCE", "VAR_POP", "VAR_SAMP", "COLLECT", "LISTAGG",
      "ARRAY_AGG", "STRING_AGG", "BIT_AND", "BIT_OR", "BIT_XOR", "ANY_VALUE", "EVERY", "SOME", "BOOL_AND",
      "BOOL_OR", "FIRST_VALUE", "LAST_VALUE", "ROW_NUMBER", "RANK", "DENSE_RANK", "APPROX_COUNT_DISTINCT");

  private final Connection connection;
  private final PreparedStatement statement;
  private final RowType columns;
  private ViewSubscriber out;
  private final String view;
  /** What the feed's table reads: the batch of changes being evaluated, under the view's name. */
  private final Map<String, ViewSnapshot> current;
  private boolean closed;

  private ChangeFeed(Connection connection, PreparedStatement statement, RowType columns, String view,
      Map<String, ViewSnapshot> current) {
    this.connection = connection;
    this.statement = statement;
    this.columns = columns;
    this.view = view;
    this.current = current;
  }

  /**
   * Prepares the feed of {@code select} (a SELECT STREAM reading only view {@code view} with
   * columns {@code viewType}); {@link #to} says where its rows go before it subscribes.
   *
   * @throws EngineException if the query is more than a projection and filter of the view
   */
  public static ChangeFeed open(String view, RowType viewType, SqlSelect select) {
    check(view, select);
    String sql = changeQuery(select, viewType).toSqlString(CalciteSqlDialect.DEFAULT).getSql();
    Map<String, ViewSnapshot> current = new java.util.concurrent.ConcurrentHashMap<>(Map.of(view, ViewSnapshot.EMPTY));
    Connection connection = null;
    try {
      connection = PullQuery.open(Map.of(view, changeTable(view, viewType, current)));
      PreparedStatement statement = connection.prepareStatement(sql);
      RowType described = PullQuery.rowType(statement.getMetaData());
      List<Column> columns = new ArrayList<>(described.columns());
      columns.set(0, new Column("op", DataType.of(DataType.Kind.VARCHAR).withNullable(false)));
      return new ChangeFeed(connection, statement, new RowType(columns), view, current);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(connection);
      throw PullQuery.failure("SELECT STREAM on materialized view '" + view + "' failed: ", e);
    }
  }

  /**
   * Calcite's plan of what a feed of {@code select} runs on each batch of changes, a line each.
   *
   * @throws EngineException if the query is more than a projection and filter of the view
   */
  public static List<String> explain(String view, RowType viewType, SqlSelect select) {
    check(view, select);
    String sql = changeQuery(select, viewType).toSqlString(CalciteSqlDialect.DEFAULT).getSql();
    Map<String, ViewSnapshot> none = Map.of(view, ViewSnapshot.EMPTY);
    try (Connection connection = PullQuery.open(Map.of(view, changeTable(view, viewType, none)))) {
      return PullQuery.explain(connection, sql);
    } catch (SQLException | RuntimeException e) {
      throw PullQuery.failure("SELECT STREAM on materialized view '" + view + "' failed: ", e);
    }
  }

  /**
   * Sends the feed's rows, in the engine's value forms (see StatementResult), to {@code reader};
   * call once, before subscribing the feed to the view.
   */
  public synchronized ChangeFeed to(ViewSubscriber reader) {
    this.out = reader;
    return this;
  }

  /** The feed's columns: {@code op}, then the query's own. */
  public RowType columns() {
    return columns;
  }

  @Override
  public synchronized boolean changes(List<Object[]> changes) {
    if (closed) {
      return false;
    }
    if (changes.isEmpty()) {
      return true;
    }
    List<Object[]> rows;
    current.put(view, new ViewSnapshot(-1, Long.MIN_VALUE, changes));
    try (ResultSet rs = statement.executeQuery()) {
      rows = PullQuery.read(rs).rows();
    } catch (SQLException | RuntimeException e) {
      EngineException failure = new EngineException(ErrorCode.INTERNAL_ERROR,
          "The changelog of the materialized view could not be evaluated: " + PullQuery.failure("", e).getMessage(), e);
      close();
      out.ended(failure);
      return false;
    } finally {
      current.put(view, ViewSnapshot.EMPTY);
    }
    if (rows.isEmpty()) {
      return true;
    }
    if (!out.changes(rows)) {
      close();
      return false;
    }
    return true;
  }

  @Override
  public synchronized void ended(Throwable failure) {
    close();
    out.ended(failure);
  }

  /** Frees the feed's Calcite connection; idempotent. */
  public synchronized void close() {
    if (!closed) {
      closed = true;
      closeQuietly(connection);
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // nothing to free beyond what close released
      }
    }
  }

  private static void check(String view, SqlSelect select) {
    String what = null;
    if (select.getGroup() != null && !select.getGroup().isEmpty()) {
      what = "GROUP BY";
    } else if (select.getHaving() != null) {
      what = "HAVING";
    } else if (select.getOrderList() != null && !select.getOrderList().isEmpty()) {
      what = "ORDER BY";
    } else if (select.getOffset() != null || select.getFetch() != null) {
      what = "OFFSET/FETCH/LIMIT";
    } else if (select.isDistinct()) {
      what = "DISTINCT";
    } else if (select.getWindowList() != null && !select.getWindowList().isEmpty()) {
      what = "WINDOW";
    } else if (!isViewName(select.getFrom())) {
      what = "a FROM clause other than the view alone";
    } else if (hasAggregate(select.getSelectList()) || hasAggregate(select.getWhere())) {
      what = "aggregate functions";
    }
    if (what != null) {
      throw new EngineException(ErrorCode.UNSUPPORTED, "SELECT STREAM on materialized view '" + view
          + "' subscribes to its changelog and allows a column list and WHERE only, not " + what
          + ": run that as a pull query (SELECT without STREAM), or as a materialized view of its own");
    }
  }

  private static boolean isViewName(SqlNode from) {
    if (from instanceof SqlIdentifier) {
      return true;
    }
    return from instanceof SqlCall call && call.getKind() == SqlKind.AS
        && call.operand(0) instanceof SqlIdentifier;
  }

  private static boolean hasAggregate(SqlNode node) {
    if (node == null) {
      return false;
    }
    boolean[] found = {false};
    node.accept(new SqlShuttle() {
      @Override
      public SqlNode visit(SqlCall call) {
        if (call.getOperator().isAggregator() || call.getKind() == SqlKind.OVER
            || AGGREGATES.contains(call.getOperator().getName().toUpperCase(Locale.ROOT))) {
          found[0] = true;
          return call;
        }
        return super.visit(call);
      }
    });
    return found[0];
  }

  /**
   * Turns the name {@code op} ({@code op}, or qualified by the view's name or alias) into the
   * operation column (when the view has no column op); aliases are left alone.
   */
  private static final SqlShuttle OP_REFERENCES = new SqlShuttle() {
    @Override
    public SqlNode visit(SqlIdentifier id) {
      if (id.names.size() <= 2 && !id.isStar() && id.names.get(id.names.size() - 1).equalsIgnoreCase("op")) {
        List<String> names = new ArrayList<>(id.names);
        names.set(names.size() - 1, OP);
        return new SqlIdentifier(names, id.getParserPosition());
      }
      return id;
    }

    @Override
    public SqlNode visit(SqlCall call) {
      if (call.getKind() == SqlKind.AS) {
        List<SqlNode> operands = new ArrayList<>(call.getOperandList());
        operands.set(0, operands.get(0).accept(this));
        return call.getOperator().createCall(call.getFunctionQuantifier(), call.getParserPosition(),
            operands.toArray(new SqlNode[0]));
      }
      return super.visit(call);
    }
  };

  /** {@code SELECT "$op", <items with * expanded> FROM view WHERE ...}, without STREAM. */
  private static SqlSelect changeQuery(SqlSelect select, RowType viewType) {
    SqlParserPos pos = SqlParserPos.ZERO;
    List<SqlNode> items = new ArrayList<>();
    items.add(new SqlIdentifier(OP, pos));
    boolean viewHasOp = viewType.columns().stream().anyMatch(c -> c.name().equalsIgnoreCase("op"));
    for (SqlNode item : select.getSelectList()) {
      if (!viewHasOp && item instanceof SqlIdentifier id && id.names.size() <= 2
          && id.names.get(id.names.size() - 1).equalsIgnoreCase("op")) {
        continue; // the operation is always the first column
      }
      if (item instanceof SqlCall as && as.getKind() == SqlKind.AS
          && ((SqlIdentifier) as.operand(1)).getSimple().equalsIgnoreCase("op")
          && !(as.operand(0) instanceof SqlIdentifier inner && inner.names.get(inner.names.size() - 1)
              .equalsIgnoreCase("op"))) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "In a subscription the first column, op, is the"
            + " change's operation; give column " + as.operand(0) + " another name than op");
      }
      if (!viewHasOp) {
        item = item.accept(OP_REFERENCES);
      }
      if (item instanceof SqlIdentifier id && id.isStar()) {
        List<String> prefix = id.names.subList(0, id.names.size() - 1);
        for (Column c : viewType.columns()) {
          List<String> names = new ArrayList<>(prefix);
          names.add(c.name());
          items.add(new SqlIdentifier(names, pos));
        }
      } else {
        items.add(item);
      }
    }
    SqlSelect copy = (SqlSelect) select.clone(select.getParserPosition());
    copy.setOperand(0, SqlNodeList.EMPTY);
    copy.setSelectList(new SqlNodeList(items, pos));
    if (!viewHasOp && copy.getWhere() != null) {
      copy.setWhere(copy.getWhere().accept(OP_REFERENCES));
    }
    return copy;
  }

  /** A batch of changes as a table: the operation, then the view's columns. */
  private static PlanCache.BoundTable changeTable(String view, RowType viewType, Map<String, ViewSnapshot> bound) {
    List<Column> columns = new ArrayList<>();
    columns.add(new Column(OP, DataType.of(DataType.Kind.VARCHAR).withNullable(false)));
    columns.addAll(viewType.columns());
    return new PlanCache.BoundTable(view, new RowType(columns), 0, bound);
  }
}
