package io.dstream.jdbcserver.client;

import static java.util.Objects.requireNonNull;

import io.dstream.jdbcserver.meta.NamePatterns;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.Meta.ConnectionHandle;
import org.apache.calcite.avatica.Meta.CursorFactory;
import org.apache.calcite.avatica.Meta.Frame;
import org.apache.calcite.avatica.Meta.MetaResultSet;
import org.apache.calcite.avatica.Meta.Pat;
import org.apache.calcite.avatica.Meta.Signature;
import org.apache.calcite.avatica.Meta.StatementHandle;
import org.apache.calcite.avatica.Meta.StatementType;
import org.apache.calcite.avatica.MetaImpl;

/**
 * The client-side {@link Meta} of {@link DStreamDriver}: a proxy that forwards every call to the
 * remote driver's Meta, except the two DatabaseMetaData calls that Avatica's protocol cannot carry
 * (its remote Meta answers them with empty results, without asking the server). Those are answered
 * by running ordinary statements on the same connection:
 * <ul>
 *   <li>{@code getPrimaryKeys}: the views that {@code getTables} lists for the arguments, then
 *       each view's {@code DESCRIBE}, whose {@code key_seq} column numbers its key columns (its
 *       GROUP BY keys). Streams and tables have no key.
 *   <li>{@code getFunctions}: {@code SHOW FUNCTIONS}, in each schema {@code getSchemas} lists
 *       for the arguments.
 * </ul>
 * Catalog and schema come from the server's own listings, so they are those getTables reports.
 * The results have JDBC's columns, types and order.
 *
 * <p>It also reads results without Avatica's one-row read-ahead (see {@link PushRows}), so that a
 * push query's rows reach {@code ResultSet.next()} as soon as they arrive.
 */
final class DStreamMeta implements InvocationHandler {
  private static final List<ColumnMetaData> PRIMARY_KEY_COLUMNS = List.of(
      MetaImpl.columnMetaData("TABLE_CAT", 0, String.class, true),
      MetaImpl.columnMetaData("TABLE_SCHEM", 1, String.class, true),
      MetaImpl.columnMetaData("TABLE_NAME", 2, String.class, false),
      MetaImpl.columnMetaData("COLUMN_NAME", 3, String.class, false),
      MetaImpl.columnMetaData("KEY_SEQ", 4, short.class, false),
      MetaImpl.columnMetaData("PK_NAME", 5, String.class, true));
  private static final List<ColumnMetaData> FUNCTION_COLUMNS = List.of(
      MetaImpl.columnMetaData("FUNCTION_CAT", 0, String.class, true),
      MetaImpl.columnMetaData("FUNCTION_SCHEM", 1, String.class, true),
      MetaImpl.columnMetaData("FUNCTION_NAME", 2, String.class, false),
      MetaImpl.columnMetaData("REMARKS", 3, String.class, true),
      MetaImpl.columnMetaData("FUNCTION_TYPE", 4, short.class, false),
      MetaImpl.columnMetaData("SPECIFIC_NAME", 5, String.class, false));

  private final Meta remote;
  private final AvaticaConnection connection;

  private DStreamMeta(Meta remote, AvaticaConnection connection) {
    this.remote = requireNonNull(remote, "remote is null");
    this.connection = requireNonNull(connection, "connection is null");
  }

  /** {@code remote} with getPrimaryKeys and getFunctions answered through {@code connection}. */
  static Meta wrap(Meta remote, AvaticaConnection connection) {
    return (Meta) Proxy.newProxyInstance(
        Meta.class.getClassLoader(), new Class<?>[] {Meta.class}, new DStreamMeta(remote, connection));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> "DStreamMeta(" + remote + ")";
      };
    }
    Class<?>[] types = method.getParameterTypes();
    if (method.getName().equals("getPrimaryKeys") && types.length == 4) {
      return run(() -> primaryKeys((String) args[1], (String) args[2], (String) args[3]));
    }
    if (method.getName().equals("getFunctions") && types.length == 4) {
      return run(() -> functions((String) args[1], ((Pat) args[2]).s, ((Pat) args[3]).s));
    }
    if (method.getName().equals("createIterable") && types.length == 5) {
      Frame first = (Frame) args[4];
      if (first != null && first.done) {
        return first.rows;
      }
      StatementHandle handle = (StatementHandle) args[0];
      AvaticaStatement statement = connection.statementMap.get(handle.id);
      return new PushRows(remote, handle, first, statement == null ? 0 : statement.getFetchSize());
    }
    try {
      return method.invoke(remote, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** A listing that talks to the server through JDBC. */
  private interface Listing {
    MetaResultSet get() throws SQLException;
  }

  /**
   * Runs {@code listing}; a SQLException becomes the cause of a RuntimeException, which
   * AvaticaDatabaseMetaData unwraps and throws as such.
   */
  private static MetaResultSet run(Listing listing) {
    try {
      return listing.get();
    } catch (SQLException e) {
      throw new RuntimeException(e.getMessage(), e);
    }
  }

  private MetaResultSet primaryKeys(String catalog, String schema, String table) throws SQLException {
    DatabaseMetaData md = connection.getMetaData();
    List<String[]> views = new ArrayList<>();
    // Names here are exact (JDBC), not patterns; null does not narrow.
    try (ResultSet rs = md.getTables(catalog, schema == null ? null : NamePatterns.exact(schema),
        table == null ? null : NamePatterns.exact(table), new String[] {"VIEW"})) {
      while (rs.next()) {
        views.add(new String[] {rs.getString("TABLE_CAT"), rs.getString("TABLE_SCHEM"), rs.getString("TABLE_NAME")});
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    for (String[] view : views) {
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("DESCRIBE " + quote(view[2]))) {
        while (rs.next()) {
          long keySeq = rs.getLong("key_seq");
          if (!rs.wasNull()) {
            rows.add(row(view[0], view[1], view[2], rs.getString("column_name"), (short) keySeq, view[2] + "_pk"));
          }
        }
      }
    }
    // JDBC: ordered by COLUMN_NAME.
    rows.sort(Comparator.comparing((List<Object> r) -> (String) r.get(3))
        .thenComparing(r -> (String) r.get(2))
        .thenComparing(r -> (Short) r.get(4)));
    return result(PRIMARY_KEY_COLUMNS, rows);
  }

  private MetaResultSet functions(String catalog, String schemaPattern, String namePattern) throws SQLException {
    List<String[]> schemas = new ArrayList<>();
    try (ResultSet rs = connection.getMetaData().getSchemas(catalog, schemaPattern)) {
      while (rs.next()) {
        schemas.add(new String[] {rs.getString("TABLE_CATALOG"), rs.getString("TABLE_SCHEM")});
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    if (!schemas.isEmpty()) {
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SHOW FUNCTIONS")) {
        while (rs.next()) {
          String name = rs.getString("function_name");
          if (!NamePatterns.like(namePattern, name)) {
            continue;
          }
          boolean builtIn = "BUILT-IN".equalsIgnoreCase(rs.getString("kind"));
          String signature = rs.getString("signature");
          String remarks = builtIn ? "built-in" : "user function" + (signature == null ? "" : " " + signature);
          String specificName = signature == null ? name : name + " " + signature;
          for (String[] schema : schemas) {
            rows.add(row(schema[0], schema[1], name, remarks, (short) DatabaseMetaData.functionResultUnknown,
                specificName));
          }
        }
      }
    }
    // JDBC: ordered by FUNCTION_CAT, FUNCTION_SCHEM, FUNCTION_NAME and SPECIFIC_NAME.
    Comparator<String> names = Comparator.nullsFirst(String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder()));
    rows.sort(Comparator.comparing((List<Object> r) -> (String) r.get(0), names)
        .thenComparing(r -> (String) r.get(1), names)
        .thenComparing(r -> (String) r.get(2), names)
        .thenComparing(r -> (String) r.get(5), names));
    return result(FUNCTION_COLUMNS, rows);
  }

  private static List<Object> row(Object... values) {
    return java.util.Arrays.asList(values);
  }

  /**
   * A finished result set of {@code rows}, on a new statement of the connection, as Avatica's own
   * client-side metadata results are built.
   */
  private MetaResultSet result(List<ColumnMetaData> columns, List<List<Object>> rows) throws SQLException {
    AvaticaStatement statement = connection.createStatement();
    Signature signature = Signature.create(columns, "", List.of(), CursorFactory.LIST, StatementType.SELECT);
    return MetaResultSet.create(connection.id, statement.getId(), true, signature,
        Frame.create(0, true, new ArrayList<>(rows)));
  }

  /** {@code name} as a quoted identifier. */
  static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
