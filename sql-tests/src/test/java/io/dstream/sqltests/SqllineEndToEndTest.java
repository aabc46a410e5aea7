package io.dstream.sqltests;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.time.SystemClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.meta.JdbcServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
}
