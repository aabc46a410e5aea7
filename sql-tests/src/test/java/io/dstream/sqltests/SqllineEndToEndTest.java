package io.dstream.sqltests;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.time.ManualClock;
import io.dstream.executor.time.SystemClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.meta.JdbcServer;
import io.dstream.jdbcserver.meta.ServerSecurity;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real sqlline, in its own process, run non-interactively against a running server. */
class SqllineEndToEndTest {
  @TempDir
  Path temp;

  @Test
  @Timeout(120)
  void sqllineRunsAScriptWithAPushQueryOverABoundedStream() throws Exception {
    Path data = Path.of("src/test/resources/golden/data/bids_small.csv").toAbsolutePath();
    Path script = temp.resolve("script.sql");
    Files.writeString(script, String.join("\n",
        "CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,"
            + " date_time TIMESTAMP(3), extra VARCHAR, WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)"
            + " WITH (connector = 'csv', path = '" + data + "');",
        "SHOW STREAMS;",
        "SELECT STREAM auction, COUNT(*) AS n, TUMBLE_END(date_time, INTERVAL '10' SECOND) AS window_end"
            + " FROM bids GROUP BY TUMBLE(date_time, INTERVAL '10' SECOND), auction;",
        ""));
    try (Engine engine = new Engine(new EngineConfig(2, 1, 100, SystemClock.INSTANCE));
        JdbcServer server = JdbcServer.start(engine, "127.0.0.1", 0)) {
      Path out = temp.resolve("out.txt");
      Process p = new ProcessBuilder(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "sqlline.SqlLine",
          "-u", server.url(), "-n", "dstream", "-p", "dstream",
          "--outputFormat=csv", "--silent=true", "--showWarnings=false", "-f", script.toString()))
          .redirectErrorStream(true).redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("sqlline finished").isTrue();
      String output = Files.readString(out, StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(output).isZero();
      assertThat(output).contains("'bids','STREAM','csv','date_time'");
      assertThat(output).contains("'1001','2','2026-01-01 00:00:10");
      assertThat(output).contains("'1107','1','2026-01-01 00:00:30");
    }
  }

  @Test
  @Timeout(120)
  void dstreamSqlConnectsWithAUserAndPasswordOverTls() throws Exception {
    Path users = Files.writeString(temp.resolve("users.properties"), "alice: s3cret,dstream\n");
    Path keystore = temp.resolve("server.p12");
    Process keytool = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "dstream",
        "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-keypass", "changeit"))
        .redirectErrorStream(true).redirectOutput(temp.resolve("keytool.txt").toFile()).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();
    Path data = Path.of("src/test/resources/golden/data/bids_small.csv").toAbsolutePath();
    Path script = temp.resolve("script.sql");
    Files.writeString(script, String.join("\n",
        "CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,"
            + " date_time TIMESTAMP(3), extra VARCHAR) WITH (connector = 'csv', path = '" + data + "');",
        "SHOW STREAMS;",
        ""));
    ServerSecurity security = new ServerSecurity(users, new ServerSecurity.Tls(keystore, "changeit"));
    try (Engine engine = new Engine(new EngineConfig(2, 1, 100, SystemClock.INSTANCE));
        JdbcServer server = JdbcServer.start(engine, "127.0.0.1", 0, security)) {
      assertThat(server.driverUrl()).startsWith("jdbc:dstream:url=https://");
      // The DStream driver, whose default HTTP client makes a rejected password a clear error.
      List<String> common = List.of("sql", "-u", server.driverUrl(), "--user", "alice",
          "--truststore", keystore.toString(), "--truststore-password", "changeit", "--outputFormat=csv");

      Run rejected = dstream(common, List.of("--password", "wrong", "-e", "SHOW STREAMS"), Map.of());
      assertThat(rejected.output()).contains("authentication failed (HTTP 401): check user and password");
      assertThat(rejected.exitCode()).as(rejected.output()).isNotZero();
      assertThat(engine.catalog()).isEmpty();

      Run accepted = dstream(common, List.of("-f", script.toString()), Map.of("DSTREAM_PASSWORD", "s3cret"));
      assertThat(accepted.exitCode()).as(accepted.output()).isZero();
      assertThat(accepted.output()).contains("'bids','STREAM','csv'");
    }
  }

  @Test
  @Timeout(120)
  void sqllineReadsALiveMaterializedView() throws Exception {
    ManualClock clock = new ManualClock(0);
    try (Engine engine = new Engine(new EngineConfig(2, 1, 1000, clock));
        JdbcServer server = JdbcServer.start(engine, "127.0.0.1", 0)) {
      engine.execute("CREATE STREAM s (k VARCHAR, v BIGINT, t TIMESTAMP(3)) WITH (connector = 'memory')");
      engine.execute("CREATE MATERIALIZED VIEW totals AS SELECT STREAM k, COUNT(*) AS n, SUM(v) AS total"
          + " FROM s GROUP BY k");
      QueryExecution view = engine.driver().queries().iterator().next();
      engine.memoryLog("s").appendCsv("a,1,2026-01-01 00:00:01.000", "b,2,2026-01-01 00:00:02.000",
          "a,3,2026-01-01 00:00:03.000");
      long done = view.completedBatches();
      clock.advance(1000);
      assertThat(view.awaitBatches(done + 1, 30_000)).isTrue();
      Path script = temp.resolve("view.sql");
      Files.writeString(script, "SELECT k, n, total FROM totals ORDER BY k;\nSHOW VIEWS;\n");
      // Real sqlline finds the DStream driver through META-INF/services.
      String first = sqlline(server.driverUrl(), script);
      assertThat(first).contains("'a','2','4'", "'b','1','2'");
      assertThat(first).contains("'totals'");

      // The view is live: after another batch, the same pull query sees the new totals.
      engine.memoryLog("s").appendCsv("b,10,2026-01-01 00:00:04.000", "c,5,2026-01-01 00:00:05.000");
      done = view.completedBatches();
      clock.advance(1000);
      assertThat(view.awaitBatches(done + 1, 30_000)).isTrue();
      String second = sqlline(server.driverUrl(), script);
      assertThat(second).contains("'a','2','4'", "'b','2','12'", "'c','1','5'");
    }
  }

  /** Runs real sqlline on {@code script} against {@code url}; returns its csv output. */
  private String sqlline(String url, Path script) throws Exception {
    Path out = Files.createTempFile(temp, "sqlline", ".txt");
    Process p = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "sqlline.SqlLine",
        "-u", url, "-n", "dstream", "-p", "dstream",
        "--outputFormat=csv", "--silent=true", "--showWarnings=false", "-f", script.toString()))
        .redirectErrorStream(true).redirectOutput(out.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("sqlline finished").isTrue();
    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }

  private record Run(int exitCode, String output) {}

  /** Runs {@code ./dstream}'s main class in its own process. */
  private Run dstream(List<String> args, List<String> more, Map<String, String> env) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.dstream.jdbcserver.cli.Main"));
    command.addAll(args);
    command.addAll(more);
    Path out = Files.createTempFile(temp, "dstream-sql", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(out.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().remove("DSTREAM_PASSWORD");
    builder.environment().putAll(env);
    Process p = builder.start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("dstream sql finished").isTrue();
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
