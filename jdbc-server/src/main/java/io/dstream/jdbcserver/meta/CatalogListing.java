package io.dstream.jdbcserver.meta;

import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.jdbcserver.engine.SqlEngine.CatalogEntry;
import io.dstream.jdbcserver.engine.SqlEngine.FunctionEntry;
import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.calcite.avatica.MetaImpl.MetaCatalog;
import org.apache.calcite.avatica.MetaImpl.MetaColumn;
import org.apache.calcite.avatica.MetaImpl.MetaSchema;
import org.apache.calcite.avatica.MetaImpl.MetaTable;
import org.apache.calcite.avatica.MetaImpl.MetaTableType;
import org.apache.calcite.avatica.MetaImpl.MetaTypeInfo;

/**
 * The rows of the DatabaseMetaData result sets, built from the engine's catalog.
 *
 * <p>The engine has one namespace; it is shown as catalog {@value #CATALOG}, schema
 * {@value #SCHEMA}. Table types: streams STREAM, static tables TABLE, materialized views VIEW.
 * Name patterns are SQL LIKE patterns (see {@link NamePatterns}).
 */
final class CatalogListing {
  static final String CATALOG = "dstream";
  static final String SCHEMA = "default";
  static final String STREAM = "STREAM";
  static final String TABLE = "TABLE";
  static final String VIEW = "VIEW";

  private CatalogListing() {}

  static List<MetaCatalog> catalogs() {
    return List.of(new MetaCatalog(CATALOG));
  }

  static List<MetaSchema> schemas(String catalog, String schemaPattern) {
    if (!catalogMatches(catalog) || !like(schemaPattern, SCHEMA)) {
      return List.of();
    }
    return List.of(new MetaSchema(CATALOG, SCHEMA));
  }

  static List<MetaTableType> tableTypes() {
    // Ordered by TABLE_TYPE, as JDBC asks.
    return List.of(new MetaTableType(STREAM), new MetaTableType(TABLE), new MetaTableType(VIEW));
  }

  static List<MetaTable> tables(
      List<CatalogEntry> entries, String catalog, String schemaPattern, String namePattern, List<String> types) {
    List<MetaTable> result = new ArrayList<>();
    if (!catalogMatches(catalog) || !like(schemaPattern, SCHEMA)) {
      return result;
    }
    for (CatalogEntry entry : sorted(entries)) {
      String type = tableType(entry);
      if (like(namePattern, entry.name()) && (types == null || containsIgnoreCase(types, type))) {
        result.add(new MetaTable(CATALOG, SCHEMA, entry.name(), type));
      }
    }
    return result;
  }

  static List<MetaColumn> columns(
      List<CatalogEntry> entries, String catalog, String schemaPattern, String namePattern, String columnPattern) {
    List<MetaColumn> result = new ArrayList<>();
    if (!catalogMatches(catalog) || !like(schemaPattern, SCHEMA)) {
      return result;
    }
    for (CatalogEntry entry : sorted(entries)) {
      if (!like(namePattern, entry.name())) {
        continue;
      }
      List<Column> columns = entry.rowType().columns();
      for (int i = 0; i < columns.size(); i++) {
        if (like(columnPattern, columns.get(i).name())) {
          result.add(column(entry.name(), columns.get(i), i + 1));
        }
      }
    }
    return result;
  }

  /**
   * A getColumns row, as JDBC defines its columns: TYPE_NAME is the type's name without its
   * length or precision ("TIMESTAMP", "DECIMAL", "VARCHAR"); COLUMN_SIZE is the precision of a
   * number, the length of a character type, the length of a datetime value's text (23 for
   * TIMESTAMP(3): {@code 2026-01-01 00:00:00.000}); DECIMAL_DIGITS the digits after the point of
   * DECIMAL, of the integer types (0), and the fractional second digits of TIMESTAMP and TIME,
   * and null for REAL, DOUBLE and the others.
   */
  private static MetaColumn column(String table, Column column, int ordinal) {
    DataType type = column.type();
    DataType.Kind kind = type.kind();
    boolean character = kind == DataType.Kind.VARCHAR || kind == DataType.Kind.CHAR;
    Integer size = ResultColumns.columnSize(type);
    Integer decimalDigits =
        switch (kind) {
          case DECIMAL -> type.scale();
          case TINYINT, SMALLINT, INTEGER, BIGINT -> 0;
          case TIMESTAMP, TIME -> type.precision();
          default -> null;
        };
    return new MetaColumn(
        CATALOG,
        SCHEMA,
        table,
        column.name(),
        kind.jdbcType(),
        typeName(kind),
        size,
        decimalDigits,
        type.isNumeric() ? 10 : null,
        type.nullable() ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
        character ? size : null,
        ordinal,
        type.nullable() ? "YES" : "NO");
  }

  /** The name of a kind of type, as getColumns and getTypeInfo show it. */
  static String typeName(DataType.Kind kind) {
    return switch (kind) {
      case INTERVAL_DAY_TIME -> "INTERVAL DAY TO SECOND";
      case INTERVAL_YEAR_MONTH -> "INTERVAL YEAR TO MONTH";
      default -> kind.name();
    };
  }

  /** One row per engine type, ordered by DATA_TYPE as JDBC asks. */
  static List<MetaTypeInfo> typeInfo() {
    List<MetaTypeInfo> result = new ArrayList<>();
    for (DataType.Kind kind : DataType.Kind.values()) {
      DataType type = kind == DataType.Kind.DECIMAL ? DataType.decimal(19, 0) : DataType.of(kind);
      boolean character = kind == DataType.Kind.VARCHAR || kind == DataType.Kind.CHAR;
      String name = typeName(kind);
      result.add(
          new MetaTypeInfo(
              name,
              kind.jdbcType(),
              ResultColumns.columnSize(type),
              character ? "'" : null,
              character ? "'" : null,
              (short) DatabaseMetaData.typeNullable,
              character,
              (short) DatabaseMetaData.typeSearchable,
              false,
              false,
              false,
              (short) 0,
              (short) (kind == DataType.Kind.DECIMAL ? 18 : kind == DataType.Kind.TIMESTAMP ? 3 : 0),
              type.isNumeric() ? 10 : 0));
    }
    result.sort(Comparator.comparingInt(info -> info.dataType));
    return result;
  }

  /**
   * The key columns of {@code table} (exact name, ignoring case; null for all), in key order. Only
   * an aggregating view has them: its group keys.
   */
  static List<PrimaryKeyRow> primaryKeys(List<CatalogEntry> entries, String catalog, String schema, String table) {
    List<PrimaryKeyRow> result = new ArrayList<>();
    if (!catalogMatches(catalog) || (schema != null && !schema.equalsIgnoreCase(SCHEMA))) {
      return result;
    }
    for (CatalogEntry entry : sorted(entries)) {
      if (table != null && !table.equalsIgnoreCase(entry.name())) {
        continue;
      }
      List<String> keys = entry.keyColumns();
      for (int i = 0; i < keys.size(); i++) {
        result.add(new PrimaryKeyRow(entry.name(), keys.get(i), (short) (i + 1), entry.name() + "_pk"));
      }
    }
    result.sort(Comparator.comparing((PrimaryKeyRow k) -> k.columnName));
    return result;
  }

  /** Functions whose name matches {@code namePattern}, ordered by name as JDBC asks. */
  static List<FunctionRow> functions(
      List<FunctionEntry> functions, String catalog, String schemaPattern, String namePattern) {
    List<FunctionRow> result = new ArrayList<>();
    if (!catalogMatches(catalog) || !like(schemaPattern, SCHEMA)) {
      return result;
    }
    for (FunctionEntry f : functions) {
      if (like(namePattern, f.name())) {
        String remarks = f.builtIn() ? "built-in" : "user function" + (f.signature() == null ? "" : " " + f.signature());
        String specific = f.signature() == null ? f.name() : f.name() + " " + f.signature();
        result.add(new FunctionRow(f.name(), remarks, specific));
      }
    }
    result.sort(Comparator.comparing((FunctionRow r) -> r.functionName, String.CASE_INSENSITIVE_ORDER)
        .thenComparing(r -> r.specificName));
    return result;
  }

  /**
   * A row of getPrimaryKeys ({@code MetaImpl.MetaPrimaryKey} cannot be built outside Avatica):
   * public fields in JDBC's column order, named as its columns.
   */
  public static final class PrimaryKeyRow {
    public final String tableCat = CATALOG;
    public final String tableSchem = SCHEMA;
    public final String tableName;
    public final String columnName;
    public final short keySeq;
    public final String pkName;

    PrimaryKeyRow(String tableName, String columnName, short keySeq, String pkName) {
      this.tableName = tableName;
      this.columnName = columnName;
      this.keySeq = keySeq;
      this.pkName = pkName;
    }
  }

  /** A row of getFunctions, with the REMARKS column that {@code MetaImpl.MetaFunction} lacks. */
  public static final class FunctionRow {
    public final String functionCat = CATALOG;
    public final String functionSchem = SCHEMA;
    public final String functionName;
    public final String remarks;
    public final short functionType = (short) DatabaseMetaData.functionResultUnknown;
    public final String specificName;

    FunctionRow(String functionName, String remarks, String specificName) {
      this.functionName = functionName;
      this.remarks = remarks;
      this.specificName = specificName;
    }
  }

  static String tableType(CatalogEntry entry) {
    if (VIEW.equalsIgnoreCase(entry.kind())) {
      return VIEW;
    }
    return TABLE.equalsIgnoreCase(entry.kind()) ? TABLE : STREAM;
  }

  private static List<CatalogEntry> sorted(List<CatalogEntry> entries) {
    List<CatalogEntry> copy = new ArrayList<>(entries);
    copy.sort(Comparator.comparing((CatalogEntry e) -> tableType(e)).thenComparing(CatalogEntry::name));
    return copy;
  }

  private static boolean catalogMatches(String catalog) {
    // JDBC: null means "do not narrow by catalog"; "" means "objects without a catalog".
    return catalog == null || catalog.equalsIgnoreCase(CATALOG);
  }

  private static boolean containsIgnoreCase(List<String> values, String value) {
    for (String candidate : values) {
      if (candidate != null && candidate.equalsIgnoreCase(value)) {
        return true;
      }
    }
    return false;
  }

  static boolean like(String pattern, String value) {
    return NamePatterns.like(pattern, value);
  }
}
