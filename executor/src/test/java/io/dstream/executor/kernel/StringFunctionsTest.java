package io.dstream.executor.kernel;

import static io.dstream.executor.kernel.Exprs.call;
import static io.dstream.executor.kernel.Exprs.decimal;
import static io.dstream.executor.kernel.Exprs.evaluate;
import static io.dstream.executor.kernel.Exprs.lit;
import static io.dstream.executor.kernel.Exprs.ref;
import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.BOOLEAN;
import static io.dstream.executor.kernel.TestBatches.VARCHAR;
import static io.dstream.executor.kernel.TestBatches.batch;
import static io.dstream.executor.kernel.TestBatches.column;
import static io.dstream.executor.kernel.TestBatches.dec;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.Operator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StringFunctionsTest {
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  private List<Object> like(String pattern, Object... values) {
    return evaluate(call(Operator.LIKE, BOOLEAN, ref(0, VARCHAR), lit(pattern, VARCHAR)),
        column(allocator, VARCHAR, values), allocator);
  }

  private List<Object> likeEscape(String pattern, String escape, Object... values) {
    return evaluate(call(Operator.LIKE, BOOLEAN, ref(0, VARCHAR), lit(pattern, VARCHAR), lit(escape, VARCHAR)),
        column(allocator, VARCHAR, values), allocator);
  }

  private List<Object> apply(Expr e, Object... values) {
    return evaluate(e, column(allocator, VARCHAR, values), allocator);
  }

  @Test
  void likeMatchesPercentAndUnderscoreOverTheWholeString() {
    assertThat(like("a%", "abc", "a", "ba", "", null)).containsExactly(true, true, false, false, null);
    assertThat(like("_b%", "abc", "bb", "b", "xbyz")).containsExactly(true, true, false, true);
    assertThat(like("%c", "abc", "c", "cb")).containsExactly(true, true, false);
    assertThat(like("a_c", "abc", "ac", "abbc", "a\nc")).containsExactly(true, false, false, true);
    assertThat(like("%", "", "x\ny")).containsExactly(true, true);
  }

  @Test
  void likeTreatsRegexCharactersLiterally() {
    assertThat(like("a.c", "abc", "a.c")).containsExactly(false, true);
    assertThat(like("(a)*[b]$", "(a)*[b]$", "aab")).containsExactly(true, false);
    assertThat(like("\\d%", "\\d1", "1")).containsExactly(true, false);
  }

  @Test
  void likeEscapeMakesWildcardsLiteral() {
    assertThat(likeEscape("a\\%b", "\\", "a%b", "axb", "a%%b")).containsExactly(true, false, false);
    assertThat(likeEscape("100!_%", "!", "100_ off", "1000 off", "100_")).containsExactly(true, false, true);
    assertThat(likeEscape("a!!b", "!", "a!b", "a!!b")).containsExactly(true, false);
  }

  @Test
  void notLikeNegatesAndKeepsNulls() {
    assertThat(evaluate(call(Operator.NOT_LIKE, BOOLEAN, ref(0, VARCHAR), lit("a%", VARCHAR)),
        column(allocator, VARCHAR, "ab", "ba", null), allocator)).containsExactly(false, true, null);
  }

  @Test
  void likeAgainstAPatternColumnRecompilesPerPattern() {
    assertThat(evaluate(call(Operator.LIKE, BOOLEAN, ref(0, VARCHAR), ref(1, VARCHAR)),
        batch(allocator, rowType("s", VARCHAR, "p", VARCHAR),
            new Object[] {"abc", "a%"}, new Object[] {"abc", "b%"}, new Object[] {"abc", "%c"},
            new Object[] {"abc", null}), allocator))
        .containsExactly(true, false, true, null);
  }

  @Test
  void upperLowerAndCharLength() {
    Expr s = ref(0, VARCHAR);
    assertThat(apply(call(Operator.UPPER, VARCHAR, s), "abc", "Ä-ß", null))
        .containsExactly("ABC", "Ä-SS", null);
    assertThat(apply(call(Operator.LOWER, VARCHAR, s), "ABC", "İ", null))
        .containsExactly("abc", "i̇", null);
    assertThat(apply(call(Operator.CHAR_LENGTH, BIGINT, s), "abc", "", "é😀", null))
        .containsExactly(3L, 0L, 2L, null);
  }

  @Test
  void substringUsesOneBasedPositionsAndClampsToTheString() {
    Expr s = ref(0, VARCHAR);
    assertThat(apply(call(Operator.SUBSTRING, VARCHAR, s, lit(2L, BIGINT)), "hello", "h", null))
        .containsExactly("ello", "", null);
    assertThat(apply(call(Operator.SUBSTRING, VARCHAR, s, lit(2L, BIGINT), lit(3L, BIGINT)),
        "hello", "he")).containsExactly("ell", "e");
    // A start before the string still counts the positions before it.
    assertThat(apply(call(Operator.SUBSTRING, VARCHAR, s, lit(0L, BIGINT), lit(2L, BIGINT)),
        "hello")).containsExactly("h");
    assertThat(apply(call(Operator.SUBSTRING, VARCHAR, s, lit(-3L, BIGINT), lit(2L, BIGINT)),
        "hello")).containsExactly("");
    assertThat(apply(call(Operator.SUBSTRING, VARCHAR, s, lit(10L, BIGINT)), "hello"))
        .containsExactly("");
    assertThatThrownBy(() -> apply(
        call(Operator.SUBSTRING, VARCHAR, s, lit(1L, BIGINT), lit(-1L, BIGINT)), "hello"))
        .isInstanceOf(EngineException.class)
        .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(ErrorCode.BAD_INPUT_DATA));
  }

  @Test
  void substringAndPositionCountCodePointsLikeCharLength() {
    Expr s = ref(0, VARCHAR);
    assertThat(apply(call(Operator.SUBSTRING, VARCHAR, s, lit(2L, BIGINT), lit(1L, BIGINT)),
        "😀ab")).containsExactly("a");
    assertThat(apply(call(Operator.POSITION, BIGINT, lit("a", VARCHAR), s), "😀ab"))
        .containsExactly(2L);
  }

  @Test
  void concatFormatsNonStringsAndIsNullWhenAnyOperandIs() {
    Expr e = call(Operator.CONCAT, VARCHAR, ref(0, VARCHAR), lit("-", VARCHAR), ref(1, BIGINT),
        lit("-", VARCHAR), ref(2, decimal(10, 2)));
    assertThat(evaluate(e, batch(allocator, rowType("s", VARCHAR, "n", BIGINT, "d", decimal(10, 2)),
        new Object[] {"a", 1L, dec("1.50")}, new Object[] {"b", null, dec("2.00")}, new Object[] {"", 0L, dec("-0.01")}),
        allocator)).containsExactly("a-1-1.50", null, "-0--0.01");
  }

  @Test
  void trimRemovesLeadingAndTrailingSpaces() {
    assertThat(apply(call(Operator.TRIM, VARCHAR, ref(0, VARCHAR)), "  a b  ", "x", "   ", null))
        .containsExactly("a b", "x", "", null);
  }

  @Test
  void trimRemovesOnlySpaces() {
    assertThat(apply(call(Operator.TRIM, VARCHAR, ref(0, VARCHAR)), " \tx\n "))
        .containsExactly("\tx\n");
  }

  @Test
  void positionIsOneBasedAndZeroWhenAbsent() {
    assertThat(evaluate(call(Operator.POSITION, BIGINT, ref(0, VARCHAR), ref(1, VARCHAR)), batch(allocator, rowType("needle", VARCHAR, "haystack", VARCHAR),
        new Object[] {"lo", "hello"}, new Object[] {"x", "hello"}, new Object[] {"", "hello"},
        new Object[] {null, "hello"}, new Object[] {"h", null}), allocator))
        .containsExactly(4L, 0L, 1L, null, null);
  }
}
