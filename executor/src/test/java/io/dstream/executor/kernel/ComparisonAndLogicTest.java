package io.dstream.executor.kernel;

import static io.dstream.executor.kernel.Exprs.call;
import static io.dstream.executor.kernel.Exprs.decLit;
import static io.dstream.executor.kernel.Exprs.decimal;
import static io.dstream.executor.kernel.Exprs.evaluate;
import static io.dstream.executor.kernel.Exprs.lit;
import static io.dstream.executor.kernel.Exprs.ref;
import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.BOOLEAN;
import static io.dstream.executor.kernel.TestBatches.DOUBLE;
import static io.dstream.executor.kernel.TestBatches.VARCHAR;
import static io.dstream.executor.kernel.TestBatches.batch;
import static io.dstream.executor.kernel.TestBatches.column;
import static io.dstream.executor.kernel.TestBatches.dec;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ComparisonAndLogicTest {
  private static final Operator[] COMPARISONS = {Operator.EQUALS, Operator.NOT_EQUALS, Operator.LESS_THAN,
      Operator.LESS_THAN_OR_EQUAL, Operator.GREATER_THAN, Operator.GREATER_THAN_OR_EQUAL};

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  private static Expr cmp(Operator op, Expr a, Expr b) {
    return call(op, BOOLEAN, a, b);
  }

  /** The six comparisons of a and b, in {@link #COMPARISONS} order, per row. */
  private List<List<Object>> allComparisons(RowType type, Expr a, Expr b, Object[]... rows) {
    List<List<Object>> perOperator = new ArrayList<>();
    for (Operator op : COMPARISONS) {
      perOperator.add(evaluate(cmp(op, a, b), batch(allocator, type, rows), allocator));
    }
    return perOperator;
  }

  @Test
  void bigintComparesWithDecimalAtTheWiderScale() {
    DataType d = decimal(10, 2);
    RowType type = rowType("n", BIGINT, "d", d);
    List<List<Object>> out = allComparisons(type, ref(0, BIGINT), ref(1, d),
        new Object[] {2L, dec("2.00")}, new Object[] {2L, dec("2.01")}, new Object[] {-1L, dec("-1.50")},
        new Object[] {null, dec("1.00")});
    // =, <>, <, <=, >, >=
    assertThat(out.get(0)).containsExactly(true, false, false, null);
    assertThat(out.get(1)).containsExactly(false, true, true, null);
    assertThat(out.get(2)).containsExactly(false, true, false, null);
    assertThat(out.get(3)).containsExactly(true, true, false, null);
    assertThat(out.get(4)).containsExactly(false, false, true, null);
    assertThat(out.get(5)).containsExactly(true, false, true, null);
  }

  @Test
  void decimalsOfDifferentScalesAndDoublesCompareByValue() {
    DataType d2 = decimal(10, 2);
    assertThat(evaluate(cmp(Operator.EQUALS, ref(0, d2), decLit("0.100")),
        column(allocator, d2, dec("0.10"), dec("0.11")), allocator)).containsExactly(true, false);
    assertThat(evaluate(cmp(Operator.LESS_THAN, ref(0, d2), lit(0.105, DOUBLE)),
        column(allocator, d2, dec("0.10"), dec("0.11"), null), allocator)).containsExactly(true, false, null);
    assertThat(evaluate(cmp(Operator.GREATER_THAN, ref(0, DOUBLE), lit(2L, BIGINT)),
        column(allocator, DOUBLE, 2.5, 2.0, -0.0), allocator)).containsExactly(true, false, false);
  }

  @Test
  void stringVectorComparesWithALiteralOnEitherSide() {
    Object[] names = {"abc", "ab", "abd", "b", "", null};
    // column op 'abc'
    List<List<Object>> right = new ArrayList<>();
    List<List<Object>> left = new ArrayList<>();
    for (Operator op : COMPARISONS) {
      right.add(evaluate(cmp(op, ref(0, VARCHAR), lit("abc", VARCHAR)), column(allocator, VARCHAR, names), allocator));
      left.add(evaluate(cmp(op, lit("abc", VARCHAR), ref(0, VARCHAR)), column(allocator, VARCHAR, names), allocator));
    }
    assertThat(right.get(0)).containsExactly(true, false, false, false, false, null);
    assertThat(right.get(1)).containsExactly(false, true, true, true, true, null);
    assertThat(right.get(2)).containsExactly(false, true, false, false, true, null);
    assertThat(right.get(3)).containsExactly(true, true, false, false, true, null);
    assertThat(right.get(4)).containsExactly(false, false, true, true, false, null);
    assertThat(right.get(5)).containsExactly(true, false, true, true, false, null);
    // 'abc' op column mirrors it: 'abc' < x  iff  x > 'abc'
    assertThat(left.get(0)).isEqualTo(right.get(0));
    assertThat(left.get(1)).isEqualTo(right.get(1));
    assertThat(left.get(2)).isEqualTo(right.get(4));
    assertThat(left.get(3)).isEqualTo(right.get(5));
    assertThat(left.get(4)).isEqualTo(right.get(2));
    assertThat(left.get(5)).isEqualTo(right.get(3));
  }

  @Test
  void stringVectorComparesWithAnotherVector() {
    RowType type = rowType("a", VARCHAR, "b", VARCHAR);
    List<List<Object>> out = allComparisons(type, ref(0, VARCHAR), ref(1, VARCHAR),
        new Object[] {"x", "x"}, new Object[] {"ab", "abc"}, new Object[] {"b", "abc"},
        new Object[] {null, "a"}, new Object[] {"a", null});
    assertThat(out.get(0)).containsExactly(true, false, false, null, null);
    assertThat(out.get(2)).containsExactly(false, true, false, null, null);
    assertThat(out.get(5)).containsExactly(true, false, true, null, null);
  }

  @Test
  void comparingWithANullLiteralIsNull() {
    assertThat(evaluate(cmp(Operator.EQUALS, ref(0, VARCHAR), lit(null, VARCHAR)),
        column(allocator, VARCHAR, "a", "b"), allocator)).isEqualTo(Arrays.asList(null, null));
    assertThat(evaluate(cmp(Operator.LESS_THAN, ref(0, BIGINT), lit(null, BIGINT)),
        column(allocator, BIGINT, 1L), allocator)).isEqualTo(Arrays.asList((Object) null));
  }

  @Test
  void nonAsciiStringsCompareByCodePointWithALiteral() {
    assertThat(evaluate(cmp(Operator.LESS_THAN, ref(0, VARCHAR), lit("é", VARCHAR)),
        column(allocator, VARCHAR, "e", "z", "é", "ü"), allocator)).containsExactly(true, true, false, false);
  }

  @Test
  void stringOrderIsTheSameAgainstALiteralAndAgainstAVector() {
    // U+FF5A (fullwidth z) sorts before U+1F600 (emoji) by code point and UTF-8 bytes, but after it
    // by UTF-16 units (0xFF5A > surrogate 0xD83D).
    String fullwidth = "\uFF5A";
    String emoji = "\uD83D\uDE00";
    List<Object> againstLiteral = evaluate(cmp(Operator.LESS_THAN, ref(0, VARCHAR), lit(emoji, VARCHAR)),
        column(allocator, VARCHAR, fullwidth), allocator);
    List<Object> againstVector = evaluate(cmp(Operator.LESS_THAN, ref(0, VARCHAR), ref(1, VARCHAR)),
        batch(allocator, rowType("a", VARCHAR, "b", VARCHAR), new Object[] {fullwidth, emoji}), allocator);
    assertThat(againstLiteral).containsExactly(true);
    assertThat(againstVector).isEqualTo(againstLiteral);
  }

  @Test
  void booleansCompareFalseBeforeTrue() {
    RowType type = rowType("a", BOOLEAN, "b", BOOLEAN);
    assertThat(evaluate(cmp(Operator.LESS_THAN, ref(0, BOOLEAN), ref(1, BOOLEAN)), batch(allocator, type,
        new Object[] {false, true}, new Object[] {true, false}, new Object[] {true, true},
        new Object[] {null, true}), allocator)).containsExactly(true, false, false, null);
  }

  /** All nine combinations of TRUE, FALSE, NULL for (a, b). */
  private ColumnBatch truthTable() {
    Boolean[] values = {true, false, null};
    List<List<Object>> rows = new ArrayList<>();
    for (Boolean a : values) {
      for (Boolean b : values) {
        rows.add(Arrays.asList(a, b));
      }
    }
    return batch(allocator, rowType("a", BOOLEAN, "b", BOOLEAN), rows);
  }

  @Test
  void andOrNotFollowThreeValuedLogic() {
    Expr a = ref(0, BOOLEAN);
    Expr b = ref(1, BOOLEAN);
    // rows: TT TF TN FT FF FN NT NF NN
    assertThat(evaluate(call(Operator.AND, BOOLEAN, a, b), truthTable(), allocator))
        .containsExactly(true, false, null, false, false, false, null, false, null);
    assertThat(evaluate(call(Operator.OR, BOOLEAN, a, b), truthTable(), allocator))
        .containsExactly(true, true, true, true, false, null, true, null, null);
    assertThat(evaluate(call(Operator.NOT, BOOLEAN, a), truthTable(), allocator))
        .containsExactly(false, false, false, true, true, true, null, null, null);
  }

  @Test
  void andOrTakeMoreThanTwoOperands() {
    Expr a = ref(0, BOOLEAN);
    Expr b = ref(1, BOOLEAN);
    assertThat(evaluate(call(Operator.AND, BOOLEAN, a, b, lit(true, BOOLEAN)), truthTable(), allocator))
        .containsExactly(true, false, null, false, false, false, null, false, null);
    assertThat(evaluate(call(Operator.OR, BOOLEAN, a, b, lit(null, BOOLEAN)), truthTable(), allocator))
        .containsExactly(true, true, true, true, null, null, true, null, null);
  }

  @Test
  void isNullFamilyIsNeverNull() {
    Expr a = ref(0, BOOLEAN);
    Object[] column = {true, false, null};
    assertThat(evaluate(call(Operator.IS_NULL, BOOLEAN, a), column(allocator, BOOLEAN, column), allocator))
        .containsExactly(false, false, true);
    assertThat(evaluate(call(Operator.IS_NOT_NULL, BOOLEAN, a), column(allocator, BOOLEAN, column), allocator))
        .containsExactly(true, true, false);
    assertThat(evaluate(call(Operator.IS_TRUE, BOOLEAN, a), column(allocator, BOOLEAN, column), allocator))
        .containsExactly(true, false, false);
    assertThat(evaluate(call(Operator.IS_NOT_TRUE, BOOLEAN, a), column(allocator, BOOLEAN, column), allocator))
        .containsExactly(false, true, true);
    assertThat(evaluate(call(Operator.IS_FALSE, BOOLEAN, a), column(allocator, BOOLEAN, column), allocator))
        .containsExactly(false, true, false);
    assertThat(evaluate(call(Operator.IS_NOT_FALSE, BOOLEAN, a), column(allocator, BOOLEAN, column), allocator))
        .containsExactly(true, false, true);
    assertThat(evaluate(call(Operator.IS_NULL, BOOLEAN, ref(0, VARCHAR)),
        column(allocator, VARCHAR, "x", null, ""), allocator)).containsExactly(false, true, false);
    assertThat(evaluate(call(Operator.IS_NOT_NULL, BOOLEAN, ref(0, DOUBLE)),
        column(allocator, DOUBLE, 1.0, null), allocator)).containsExactly(true, false);
  }

  @Test
  void caseTakesTheFirstTrueBranchAndSkipsNullConditions() {
    Expr n = ref(0, BIGINT);
    // CASE WHEN n > 10 THEN 'big' WHEN n IS NULL THEN NULL WHEN n > 5 THEN 'mid' ELSE 'small' END
    Expr e = call(Operator.CASE, VARCHAR,
        cmp(Operator.GREATER_THAN, n, lit(10L, BIGINT)), lit("big", VARCHAR),
        call(Operator.IS_NULL, BOOLEAN, n), lit(null, VARCHAR),
        cmp(Operator.GREATER_THAN, n, lit(5L, BIGINT)), lit("mid", VARCHAR),
        lit("small", VARCHAR));
    assertThat(evaluate(e, column(allocator, BIGINT, 20L, null, 7L, 1L, 11L), allocator))
        .containsExactly("big", null, "mid", "small", "big");
  }

  @Test
  void caseWithoutMatchAndNullElseIsNullAndBranchesAreCastToTheResultType() {
    Expr flag = ref(0, BOOLEAN);
    DataType d = decimal(10, 2);
    // CASE WHEN flag THEN 1 ELSE 2.5 END as DECIMAL(10, 2); a NULL condition takes ELSE
    Expr e = call(Operator.CASE, d, flag, lit(1L, BIGINT), decLit("2.5"));
    assertThat(evaluate(e, column(allocator, BOOLEAN, true, false, null), allocator))
        .containsExactly(dec("1.00"), dec("2.50"), dec("2.50"));
    Expr nullElse = call(Operator.CASE, BIGINT, flag, ref(1, BIGINT), lit(null, BIGINT));
    assertThat(evaluate(nullElse, batch(allocator, rowType("f", BOOLEAN, "n", BIGINT),
        new Object[] {true, 4L}, new Object[] {false, 5L}, new Object[] {true, null}), allocator))
        .containsExactly(4L, null, null);
    Expr doubles = call(Operator.CASE, DOUBLE, flag, lit(1L, BIGINT), lit(0.5, DOUBLE));
    assertThat(evaluate(doubles, column(allocator, BOOLEAN, true, false), allocator)).containsExactly(1.0, 0.5);
  }

  @Test
  void coalesceTakesTheFirstNonNull() {
    RowType type = rowType("a", BIGINT, "b", BIGINT);
    Expr e = call(Operator.COALESCE, BIGINT, ref(0, BIGINT), ref(1, BIGINT), lit(0L, BIGINT));
    assertThat(evaluate(e, batch(allocator, type, new Object[] {1L, 2L}, new Object[] {null, 2L},
        new Object[] {null, null}), allocator)).containsExactly(1L, 2L, 0L);
    Expr strings = call(Operator.COALESCE, VARCHAR, ref(0, VARCHAR), lit("none", VARCHAR));
    assertThat(evaluate(strings, column(allocator, VARCHAR, "x", null), allocator)).containsExactly("x", "none");
    Expr allNull = call(Operator.COALESCE, BIGINT, ref(0, BIGINT), lit(null, BIGINT));
    assertThat(evaluate(allNull, column(allocator, BIGINT, 3L, null), allocator)).containsExactly(3L, null);
  }
}
