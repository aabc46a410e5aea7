<#--
  DStream SQL grammar extensions, included into Calcite's Parser.jj by FMPP.
  Productions reuse Calcite's own rules (CompoundIdentifier, DataType, Expression,
  OrderedQueryOrExpr, SqlQueryOrDml, ExplainDetailLevel, ExplainDepth) so that the
  extension stays small and inherits Calcite's casing and quoting rules.
-->

/** Parses an optional IF NOT EXISTS. IF is non-reserved, hence the explicit lookahead. */
boolean StreamIfNotExistsOpt() :
{
}
{
    LOOKAHEAD(3) <IF> <NOT> <EXISTS> { return true; }
|
    { return false; }
}

/** Parses an optional IF EXISTS. */
boolean StreamIfExistsOpt() :
{
}
{
    LOOKAHEAD(2) <IF> <EXISTS> { return true; }
|
    { return false; }
}

/**
 * Parses WITH options: ( key = value [, key = value ]* ).
 * Unlike Calcite's ParenthesizedKeyValueOptionCommaList, values may also be numbers and booleans,
 * and keys may be dotted identifiers; the result is the same flat key, value, key, value list.
 */
SqlNodeList StreamOptionList() :
{
    final Span s;
    final List<SqlNode> list = new ArrayList<SqlNode>();
}
{
    <LPAREN> { s = span(); }
    AddStreamOption(list)
    (
        <COMMA>
        AddStreamOption(list)
    )*
    <RPAREN> {
        return new SqlNodeList(list, s.end(this));
    }
}

void AddStreamOption(List<SqlNode> list) :
{
    final SqlNode key;
    final SqlNode value;
    String text;
}
{
    (
        key = CompoundIdentifier()
    |
        text = SimpleStringLiteral() { key = SqlLiteral.createCharString(text, getPos()); }
    )
    <EQ>
    (
        text = SimpleStringLiteral() { value = SqlLiteral.createCharString(text, getPos()); }
    |
        value = NumericLiteral()
    |
        <TRUE> { value = SqlLiteral.createBoolean(true, getPos()); }
    |
        <FALSE> { value = SqlLiteral.createBoolean(false, getPos()); }
    |
        value = SimpleIdentifier()
    )
    {
        // Keys are case-insensitive in SqlStreamOptions.toMap(); a repeated key would be
        // silently overwritten there, so reject it here where the position is known.
        SqlStreamOptions.checkNotDuplicate(list, key);
        list.add(key);
        list.add(value);
    }
}

/** Parses one item of a stream's column list: a column, or the WATERMARK clause. */
void AddStreamElement(List<SqlColumn> columns, List<SqlWatermark> watermarks) :
{
    final SqlIdentifier column;
    final SqlNode expression;
    final SqlIdentifier name;
    final SqlDataTypeSpec type;
    boolean nullable = true;
}
{
    // WATERMARK is non-reserved: "watermark INT" is a column, "WATERMARK FOR" is the clause.
    LOOKAHEAD(2)
    <WATERMARK> <FOR> column = SimpleIdentifier() <AS>
    expression = Expression(ExprContext.ACCEPT_NON_QUERY) {
        if (!watermarks.isEmpty()) {
            throw SqlParseErrors.at(column.getParserPosition(),
                "A stream may declare only one WATERMARK");
        }
        watermarks.add(new SqlWatermark(column, expression));
    }
|
    name = SimpleIdentifier()
    type = DataType()
    [
        <NOT> <NULL> { nullable = false; }
    |
        <NULL> { nullable = true; }
    ]
    {
        columns.add(new SqlColumn(name, type, nullable));
    }
}

void StreamElementList(List<SqlColumn> columns, List<SqlWatermark> watermarks) :
{
    final Span s;
}
{
    <LPAREN> { s = span(); }
    AddStreamElement(columns, watermarks)
    (
        <COMMA>
        AddStreamElement(columns, watermarks)
    )*
    <RPAREN> {
        if (columns.isEmpty()) {
            throw SqlParseErrors.at(s.end(this), "A column list needs at least one column");
        }
    }
}

/**
 * Parses, after CREATE [OR REPLACE]:
 *   STREAM [IF NOT EXISTS] name ( elements ) [ WITH ( options ) ]
 *   STREAM [IF NOT EXISTS] name [ WITH ( options ) ] AS query
 *   TABLE [IF NOT EXISTS] name ( elements ) [ WITH ( options ) ]
 */
SqlCreate SqlCreateStreamOrTable(Span s, boolean replace) :
{
    boolean table = false;
    final boolean ifNotExists;
    final SqlIdentifier name;
    final List<SqlColumn> columns = new ArrayList<SqlColumn>();
    final List<SqlWatermark> watermarks = new ArrayList<SqlWatermark>();
    SqlNodeList optionList = SqlNodeList.EMPTY;
    SqlNode query = null;
}
{
    (
        <STREAM> { table = false; }
    |
        <TABLE> { table = true; }
    )
    ifNotExists = StreamIfNotExistsOpt()
    name = CompoundIdentifier()
    (
        StreamElementList(columns, watermarks)
        [ <WITH> optionList = StreamOptionList() ]
    |
        // Only a stream can be derived from a query; for a table, "(" is the only way on.
        LOOKAHEAD({ !table })
        [ <WITH> optionList = StreamOptionList() ]
        <AS> query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY)
        [ <EMIT> <CHANGES> { query = new SqlEmitChanges(getPos(), query); } ]
    )
    {
        return new SqlCreateStream(s.end(this), replace, ifNotExists, table, name, columns,
            watermarks.isEmpty() ? null : watermarks.get(0), optionList, query);
    }
}

/** Parses, after CREATE [OR REPLACE]: MATERIALIZED VIEW [IF NOT EXISTS] name [WITH (...)] AS query. */
SqlCreate SqlCreateMaterializedView(Span s, boolean replace) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
    SqlNodeList optionList = SqlNodeList.EMPTY;
    SqlNode query;
}
{
    <MATERIALIZED> <VIEW>
    ifNotExists = StreamIfNotExistsOpt()
    name = CompoundIdentifier()
    [ <WITH> optionList = StreamOptionList() ]
    <AS> query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY)
    // A view is maintained from a changelog anyway; EMIT CHANGES is accepted and changes nothing.
    [ <EMIT> <CHANGES> { query = new SqlEmitChanges(getPos(), query); } ]
    {
        return new SqlCreateMaterializedView(s.end(this), replace, ifNotExists, name, optionList,
            query);
    }
}

/**
 * Parses, after CREATE [OR REPLACE]: FUNCTION [IF NOT EXISTS] name AS 'class.Name'.
 * The class name is a string literal, as in Flink SQL and Calcite's server DDL.
 */
SqlCreate SqlCreateFunction(Span s, boolean replace) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
    final String className;
    final SqlParserPos classPos;
}
{
    <FUNCTION>
    ifNotExists = StreamIfNotExistsOpt()
    name = CompoundIdentifier()
    <AS>
    className = SimpleStringLiteral() { classPos = getPos(); }
    {
        return new SqlCreateFunction(s.end(this), replace, ifNotExists, name,
            SqlLiteral.createCharString(className, classPos));
    }
}

/**
 * Parses, after DROP: (STREAM | TABLE | MATERIALIZED VIEW | QUERY | FUNCTION) [IF EXISTS] name.
 * A query id may also be written as a string literal ('q3'); it becomes an identifier.
 */
SqlDrop SqlDropObject(Span s, boolean replace) :
{
    final SqlDropObject.Kind kind;
    final boolean ifExists;
    SqlIdentifier name;
    String text;
}
{
    (
        <STREAM> { kind = SqlDropObject.Kind.STREAM; }
    |
        <TABLE> { kind = SqlDropObject.Kind.TABLE; }
    |
        <MATERIALIZED> <VIEW> { kind = SqlDropObject.Kind.MATERIALIZED_VIEW; }
    |
        <QUERY> { kind = SqlDropObject.Kind.QUERY; }
    |
        <FUNCTION> { kind = SqlDropObject.Kind.FUNCTION; }
    )
    ifExists = StreamIfExistsOpt()
    (
        name = CompoundIdentifier()
    |
        LOOKAHEAD({ kind == SqlDropObject.Kind.QUERY })
        text = SimpleStringLiteral() { name = new SqlIdentifier(text, getPos()); }
    )
    {
        return new SqlDropObject(s.end(this), kind, ifExists, name);
    }
}

/** Parses SHOW (STREAMS | TABLES | QUERIES | VIEWS | FUNCTIONS). */
SqlNode SqlShow() :
{
    final Span s;
    final SqlShow.Kind kind;
}
{
    <SHOW> { s = span(); }
    (
        <STREAMS> { kind = SqlShow.Kind.STREAMS; }
    |
        <TABLES> { kind = SqlShow.Kind.TABLES; }
    |
        <QUERIES> { kind = SqlShow.Kind.QUERIES; }
    |
        <VIEWS> { kind = SqlShow.Kind.VIEWS; }
    |
        <FUNCTIONS> { kind = SqlShow.Kind.FUNCTIONS; }
    )
    {
        return new SqlShow(s.end(this), kind);
    }
}

/**
 * Parses DESCRIBE STREAM name. STREAM is reserved, so the stock DESCRIBE rule rejects it;
 * the result is the same SqlDescribeTable that the stock rule builds for DESCRIBE name.
 */
SqlNode SqlDescribeStream() :
{
    final Span s;
    final SqlIdentifier name;
}
{
    <DESCRIBE> { s = span(); } <STREAM> name = CompoundIdentifier() {
        return new SqlDescribeTable(s.end(name), name, null);
    }
}

/**
 * Parses every EXPLAIN form. It replaces the stock rule, which only knows EXPLAIN PLAN:
 *   EXPLAIN PLAN [detail] [depth] [AS format] FOR statement  -> SqlExplain (as stock)
 *   EXPLAIN statement                                        -> SqlExplainStream
 * where statement is a query, DML, or a CREATE statement. PLAN is non-reserved, so the
 * two-token lookahead separates "EXPLAIN PLAN FOR" from a query starting with a column "plan".
 */
SqlNode SqlExplainStream() :
{
    final Span s;
    final SqlNode stmt;
    SqlExplainLevel detailLevel = SqlExplainLevel.EXPPLAN_ATTRIBUTES;
    final SqlExplain.Depth depth;
    final SqlExplainFormat format;
}
{
    <EXPLAIN> { s = span(); }
    (
        LOOKAHEAD(2)
        <PLAN>
        [ detailLevel = ExplainDetailLevel() ]
        depth = ExplainDepth()
        (
            LOOKAHEAD(2)
            <AS> <XML> { format = SqlExplainFormat.XML; }
        |
            LOOKAHEAD(2)
            <AS> <JSON> { format = SqlExplainFormat.JSON; }
        |
            <AS> <DOT_FORMAT> { format = SqlExplainFormat.DOT; }
        |
            { format = SqlExplainFormat.TEXT; }
        )
        <FOR>
        ( stmt = SqlQueryOrDmlEmit() | stmt = SqlCreate() )
        {
            return new SqlExplain(s.end(stmt), stmt,
                detailLevel.symbol(SqlParserPos.ZERO),
                depth.symbol(SqlParserPos.ZERO),
                format.symbol(SqlParserPos.ZERO),
                nDynamicParams);
        }
    |
        ( stmt = SqlQueryOrDmlEmit() | stmt = SqlCreate() )
        {
            return new SqlExplainStream(s.end(stmt), stmt, nDynamicParams);
        }
    )
}

/**
 * A query, optionally followed by EMIT CHANGES: the query then emits a changelog of early
 * results every batch instead of final results. EMIT is reserved (so that it cannot be taken
 * for a table alias); CHANGES is not.
 */
SqlNode SqlQueryEmit() :
{
    final SqlNode query;
}
{
    query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY)
    (
        <EMIT> <CHANGES> { return new SqlEmitChanges(getPos(), query); }
    |
        { return query; }
    )
}

/** A query or DML statement, optionally followed by EMIT CHANGES (see SqlQueryEmit). */
SqlNode SqlQueryOrDmlEmit() :
{
    SqlNode stmt;
}
{
    stmt = SqlQueryOrDml()
    [ <EMIT> <CHANGES> { stmt = new SqlEmitChanges(getPos(), stmt); } ]
    { return stmt; }
}
