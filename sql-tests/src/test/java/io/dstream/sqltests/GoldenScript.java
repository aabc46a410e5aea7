package io.dstream.sqltests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.time.ManualClock;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import io.dstream.executor.type.Timestamps;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.engine.StatementResult;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs one golden script against an embedded engine on a manual clock. The format, a line at
 * a time:
 * <ul>
 *   <li>a SQL statement, possibly over several lines, ending with ';'. It may be followed by
 *       {@code error: text} (the statement must fail with a message containing the text) or
 *       {@code rows:} and the expected rows, one csv line each (leading spaces count), until a
 *       blank line;</li>
 *   <li>{@code feed STREAM} and csv lines until a blank line: rows appended to a memory stream;</li>
 *   <li>{@code batch [N]}: the clock moves one batch interval (N times); each time, every
 *       running query completes its batch before the script goes on;</li>
 *   <li>{@code expect} and csv lines until a blank line: the rows the last push query emitted
 *       since the previous expect, in any order (none for an empty block);</li>
 *   <li>{@code expect ordered}: the same, in order; {@code expect error: text}: the push query
 *       failed with that message; {@code expect end}: the push query ended;</li>
 *   <li>{@code set FILE path}: the word FILE in later statements, directives and expected rows
 *       stands for {@code path}, relative to the script's directory; {@code set OUT <tempdir>}:
 *       OUT stands for a fresh temporary directory, deleted after the script;</li>
 *   <li>{@code file DIR} and csv lines until a blank line: the content of the files
 *       {@code batch-*.csv} in directory DIR (a csv sink's output), concatenated in batch order;</li>
 *   <li>{@code # ...} is a comment.</li>
 * </ul>
 * Values print as NULL, plain numbers, and timestamps as 'YYYY-MM-DD HH:MM:SS.mmm'.
 */
final class GoldenScript {
  static final long INTERVAL = 1000;

  private final Path script;
  private final List<String> lines;
  private final Map<String, String> variables = new HashMap<>();
  private final Map<String, Long> advancesAtStart = new HashMap<>();
  private final List<Path> tempDirectories = new ArrayList<>();
  private int position;
  private long advances;
  private StatementResult.PushStream push;

  GoldenScript(Path script) throws Exception {
    this.script = script;
    this.lines = Files.readAllLines(script);
  }

  void run() throws Exception {
    try {
      runScript();
    } finally {
      for (Path dir : tempDirectories) {
        deleteRecursively(dir);
      }
    }
  }

  private void runScript() throws Exception {
    ManualClock clock = new ManualClock(0);
    EngineConfig config = new EngineConfig(2, 1, INTERVAL, clock);
    try (Engine engine = new Engine(config)) {
      while (position < lines.size()) {
        String line = lines.get(position).strip();
        if (line.isEmpty() || line.startsWith("#") || line.startsWith("--")) {
          position++;
        } else if (line.startsWith("feed ")) {
          position++;
          List<String> rows = block().stream().map(String::strip).toList();
          engine.memoryLog(line.substring(5).strip()).appendCsv(rows.toArray(String[]::new));
        } else if (line.equals("batch") || line.startsWith("batch ")) {
          position++;
          int n = line.equals("batch") ? 1 : Integer.parseInt(line.substring(6).strip());
          for (int i = 0; i < n; i++) {
            advance(engine, clock);
          }
        } else if (line.startsWith("expect")) {
          position++;
          expect(line.substring(6).strip());
        } else if (line.startsWith("set ")) {
          position++;
          String[] parts = line.substring(4).strip().split("\\s+", 2);
          variables.put(parts[0], parts[1].equals("<tempdir>") ? tempDirectory()
              : script.getParent().resolve(parts[1]).toAbsolutePath().toString());
        } else if (line.startsWith("file ")) {
          position++;
          expectFiles(substitute(line.substring(5).strip()));
        } else {
          statement(engine);
        }
      }
      if (push != null) {
        push.close();
      }
      for (QueryExecution q : engine.driver().queries()) {
        engine.driver().stop(q.id());
      }
      assertThat(engine.driver().allocatedBytes()).as("Arrow memory still allocated (leak)").isZero();
    }
  }

  private void advance(Engine engine, ManualClock clock) throws InterruptedException {
    clock.advance(INTERVAL);
    advances++;
    for (QueryExecution q : engine.driver().queries()) {
      long started = advancesAtStart.getOrDefault(q.id(), 0L);
      if (!q.awaitBatches(advances - started, 30_000)
          && q.state() == io.dstream.executor.scheduler.QueryState.RUNNING) {
        fail("query " + q.id() + " did not complete its batch in time (" + where() + ")");
      }
    }
  }

  private void statement(Engine engine) throws Exception {
    int start = position;
    StringBuilder sql = new StringBuilder();
    while (position < lines.size()) {
      String l = lines.get(position++);
      sql.append(l).append('\n');
      if (l.strip().endsWith(";")) {
        break;
      }
    }
    String text = substitute(sql.toString().strip());
    String next = position < lines.size() ? lines.get(position).strip() : "";
    if (next.startsWith("error:")) {
      position++;
      String expected = next.substring(6).strip();
      try {
        StatementResult r = engine.execute(text);
        if (r instanceof StatementResult.PushStream p) {
          p.close();
        }
        fail("expected an error containing '" + expected + "' at line " + (start + 1) + " of " + script);
      } catch (EngineException e) {
        assertThat(e.getMessage()).as("error of the statement at line %d of %s", start + 1, script)
            .contains(expected);
      }
      return;
    }
    StatementResult result;
    try {
      result = engine.execute(text);
    } catch (EngineException e) {
      throw new AssertionError("statement at line " + (start + 1) + " of " + script + " failed: "
          + e.getMessage(), e);
    }
    if (result instanceof StatementResult.PushStream p) {
      if (push != null) {
        push.close();
      }
      push = p;
      for (QueryExecution q : engine.driver().queries()) {
        advancesAtStart.putIfAbsent(q.id(), advances);
      }
    } else {
      for (QueryExecution q : engine.driver().queries()) {
        advancesAtStart.putIfAbsent(q.id(), advances);
      }
    }
    if (next.equals("rows:")) {
      position++;
      // Leading spaces of rows count (EXPLAIN indents its plan lines).
      List<String> expected = substituted(block().stream().map(String::stripTrailing).toList());
      assertThat(result).isInstanceOf(StatementResult.RowSet.class);
      StatementResult.RowSet rows = (StatementResult.RowSet) result;
      List<String> actual = new ArrayList<>();
      for (Object[] row : rows.rows()) {
        actual.add(format(rows.columns(), row));
      }
      assertThat(actual).as("rows of the statement at line %d of %s", start + 1, script)
          .containsExactlyElementsOf(expected);
    }
  }

  private void expect(String mode) throws InterruptedException {
    if (push == null) {
      fail("expect without a push query at " + where());
    }
    if (mode.startsWith("error:")) {
      String expected = mode.substring(6).strip();
      try {
        drain();
        fail("expected the push query to fail with '" + expected + "' at " + where());
      } catch (EngineException e) {
        assertThat(e.getMessage()).contains(expected);
      }
      return;
    }
    if (mode.equals("end")) {
      // The sink learns of the end just after the last batch completes: wait for it.
      StatementResult.Polled polled = push.poll(1000, 10_000);
      assertThat(polled.rows()).as("rows before the end at %s", where()).isEmpty();
      assertThat(polled.done()).as("push query ended at %s", where()).isTrue();
      return;
    }
    List<String> expected = substituted(block().stream().map(String::strip).toList());
    List<String> actual = drain();
    if (mode.equals("ordered")) {
      assertThat(actual).as("rows at %s", where()).containsExactlyElementsOf(expected);
    } else {
      assertThat(actual).as("rows at %s", where()).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private List<String> drain() throws InterruptedException {
    List<String> actual = new ArrayList<>();
    while (true) {
      StatementResult.Polled polled = push.poll(10_000, 0);
      for (Object[] row : polled.rows()) {
        actual.add(format(push.columns(), row));
      }
      if (polled.rows().isEmpty() || polled.done()) {
        return actual;
      }
    }
  }

  private String substitute(String text) {
    String out = text;
    for (Map.Entry<String, String> v : variables.entrySet()) {
      out = out.replace(v.getKey(), v.getValue());
    }
    return out;
  }

  private List<String> substituted(List<String> rows) {
    return rows.stream().map(this::substitute).toList();
  }

  private String tempDirectory() throws java.io.IOException {
    Path dir = Files.createTempDirectory("golden-");
    tempDirectories.add(dir);
    return dir.toString();
  }

  private void expectFiles(String directory) throws java.io.IOException {
    List<String> expected = block().stream().map(String::strip).toList();
    List<String> actual = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> list = Files.list(Path.of(directory))) {
      files = list.filter(p -> p.getFileName().toString().matches("batch-\\d+\\.csv")).sorted().toList();
    }
    for (Path f : files) {
      actual.addAll(Files.readAllLines(f));
    }
    assertThat(actual).as("content of %s at %s", directory, where()).containsExactlyElementsOf(expected);
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private List<String> block() {
    List<String> out = new ArrayList<>();
    while (position < lines.size() && !lines.get(position).isBlank()) {
      out.add(lines.get(position++));
    }
    return out;
  }

  private String where() {
    return script.getFileName() + ":" + position;
  }

  static String format(RowType type, Object[] row) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < row.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      Object v = row[i];
      DataType t = type.type(i);
      if (v == null) {
        sb.append("NULL");
      } else if (t.kind() == DataType.Kind.TIMESTAMP) {
        sb.append(Timestamps.format((Long) v));
      } else if (v instanceof BigDecimal d) {
        sb.append(d.toPlainString());
      } else {
        sb.append(v);
      }
    }
    return sb.toString();
  }
}
