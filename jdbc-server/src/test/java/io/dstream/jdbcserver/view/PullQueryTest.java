package io.dstream.jdbcserver.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Kind;
import io.dstream.executor.type.RowType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pull queries reuse prepared plans: a second run of the same text over new snapshots reads the
 * new rows (the plan is bound to the snapshots of each run, not those it was prepared with), a
 * view with other columns gets its own plan, and a failed query leaves nothing behind.
 */
class PullQueryTest {
  private static final RowType TYPE = new RowType(List.of(
      new Column("k", DataType.of(Kind.VARCHAR)), new Column("n", DataType.of(Kind.BIGINT))));

  private static PullQuery.Input view(String name, RowType type, Object[]... rows) {
    return PullQuery.Input.table(name, type, List.of(rows));
  }

  @Test
  void aCachedPlanReadsTheSnapshotsOfEachRun() {
    String sql = "SELECT k, n FROM cached_view WHERE n > ? ORDER BY k";
    PullQuery.Result first = PullQuery.run(sql, List.of(view("cached_view", TYPE,
        new Object[] {"a", 1L}, new Object[] {"b", 5L})), List.of(2L));
    assertThat(first.rows()).containsExactly(new Object[] {"b", 5L});
    int cached = PullQuery.cachedPlans();
    PullQuery.Result second = PullQuery.run(sql, List.of(view("cached_view", TYPE,
        new Object[] {"a", 7L}, new Object[] {"b", 5L}, new Object[] {"c", 9L})), List.of(6L));
    assertThat(second.rows()).containsExactly(new Object[] {"a", 7L}, new Object[] {"c", 9L});
    assertThat(PullQuery.cachedPlans()).isEqualTo(cached);
  }

  @Test
  void aViewWithOtherColumnsGetsItsOwnPlan() {
    String sql = "SELECT * FROM reshaped";
    assertThat(PullQuery.run(sql, List.of(view("reshaped", TYPE, new Object[] {"a", 1L}))).columns().size())
        .isEqualTo(2);
    RowType wider = new RowType(List.of(new Column("k", DataType.of(Kind.VARCHAR)),
        new Column("n", DataType.of(Kind.BIGINT)), new Column("m", DataType.of(Kind.DOUBLE))));
    PullQuery.Result result = PullQuery.run(sql, List.of(view("reshaped", wider, new Object[] {"a", 1L, 2.5})));
    assertThat(result.columns().size()).isEqualTo(3);
    assertThat(result.rows()).containsExactly(new Object[] {"a", 1L, 2.5});
  }

  @Test
  void aFailedQueryIsNotCached() {
    int cached = PullQuery.cachedPlans();
    assertThatThrownBy(() -> PullQuery.run("SELECT nope FROM failing", List.of(view("failing", TYPE))))
        .isInstanceOf(EngineException.class).hasMessageContaining("Column 'nope' not found");
    assertThatThrownBy(() -> PullQuery.run("SELECT k FROM failing WHERE n > ?", List.of(view("failing", TYPE)),
        List.of())).isInstanceOf(EngineException.class).hasMessageContaining("1 parameter(s) but 0 value(s)");
    assertThat(PullQuery.cachedPlans()).isEqualTo(cached);
  }
}
