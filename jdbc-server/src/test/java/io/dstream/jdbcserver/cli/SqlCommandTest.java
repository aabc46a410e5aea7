package io.dstream.jdbcserver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.jdbcserver.meta.FakeEngine;
import io.dstream.jdbcserver.meta.JdbcServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code dstream sql} (sqlline) as a separate process against a server on a fake engine. */
class SqlCommandTest {
  private FakeEngine engine;
  private JdbcServer server;

  @TempDir Path home;

  @BeforeEach
  void start() {
    engine = new FakeEngine();
    server = JdbcServer.start(engine, "127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void runsAStatementAndPrintsItsRows() throws Exception {
    Result result = dstream("sql", "-u", server.driverUrl(), "-e", "SHOW STREAMS");
    assertThat(result.exitCode).as(result.output).isZero();
    assertThat(result.output).contains("bids", "STREAM", "prices", "top_bids", "VIEW");
    assertThat(result.output).doesNotContain("Enter username", "isolation");
  }

  @Test
  void rowLimitEndsAPushQueryAndTimestampsShowTheirUtcWallClockInAnyZone() throws Exception {
    for (int i = 1; i <= 5; i++) {
      engine.pushRows.put(new Object[] {FakeEngine.TEN_SECONDS_INTO_2026 + i * 1000L, (long) i, "Google"});
    }
    Result result =
        dstream("sql", "-u", server.driverUrl(), "--rowLimit=3", "-e", "SELECT STREAM * FROM bids");
    assertThat(result.exitCode).as(result.output).isZero();
    assertThat(result.output).contains("2026-01-01 00:00:11.000", "2026-01-01 00:00:13.000");
    assertThat(result.output).doesNotContain("2026-01-01 00:00:14.000");
    assertThat(engine.awaitStream().closed.await(10, TimeUnit.SECONDS)).isTrue();
  }

  /** The plain Avatica remote driver's URL still works. */
  @Test
  void runsAScriptFile() throws Exception {
    Path script = home.resolve("script.sql");
    Files.writeString(script, "CREATE STREAM s (a BIGINT);\nSHOW STREAMS;\n");
    Result result = dstream("sql", "-u", server.url(), "-f", script.toString());
    assertThat(result.exitCode).as(result.output).isZero();
    assertThat(result.output).contains("top_bids");
    assertThat(engine.executed).contains("CREATE STREAM s (a BIGINT)");
  }

  @Test
  void reportsEngineErrors() throws Exception {
    Result result = dstream("sql", "-u", server.url(), "-e", "BAD STATEMENT");
    assertThat(result.output).contains("Encountered \"BAD\" at line 1, column 1");
    assertThat(result.exitCode).isNotZero();
  }

  private record Result(int exitCode, String output) {}

  private Result dstream(String... args) throws IOException, InterruptedException {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Duser.home=" + home);
    command.add("-Duser.timezone=America/Los_Angeles");
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-cp");
    command.add(classPath);
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    byte[] output;
    try {
      output = process.getInputStream().readAllBytes();
    } finally {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
