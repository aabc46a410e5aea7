package io.dstream.jdbcserver.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.engine.StatementResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The status page as a real browser renders it: headless Chromium dumps the DOM. Runs only
 * when {@code /usr/bin/chromium} exists (Debian package chromium), or with {@code
 * -Dweb.chromium.install=true}, which installs it with apt-get first; skipped otherwise.
 */
@Timeout(300)
class WebChromiumTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final long BROWSER_TIMEOUT_SECONDS = 60;

  @Test
  void headlessChromiumRendersTheQueryAndItsPlots() throws Exception {
    installIfAsked();
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
        "skipped: " + CHROMIUM + " not found (apt-get install chromium, or run with -Dweb.chromium.install=true)");
    ManualClock clock = new ManualClock(0);
    try (Engine engine = new Engine(new EngineConfig(2, 1, 1000, clock))) {
      engine.execute("CREATE STREAM clicks (id BIGINT, name VARCHAR) WITH (connector = 'memory')");
      StatementResult.PushStream push =
          (StatementResult.PushStream) engine.execute("SELECT STREAM id, name FROM clicks");
      QueryExecution query = List.copyOf(engine.driver().queries()).get(0);
      try (push; WebServer web = WebServer.start(engine, "127.0.0.1", 0)) {
        for (int i = 0; i < 3; i++) {
          engine.execute("INSERT INTO clicks VALUES (" + i + ", 'x')");
          long completed = query.completedBatches();
          clock.advance(1000);
          assertThat(query.awaitBatches(completed + 1, 30_000)).isTrue();
        }
        String dom = dumpDom(web.url());
        assertThat(dom).contains("<h3>" + query.id() + " ", "<svg", "<polyline", "Input rate (rows/s)");
      } finally {
        engine.driver().stop(query.id());
      }
    }
  }

  private static String dumpDom(String url) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("dstream-chromium");
    Process browser = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--user-data-dir=" + profile, "--dump-dom", url)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      byte[] out = browser.getInputStream().readAllBytes();
      assertThat(browser.waitFor(BROWSER_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("chromium exited").isTrue();
      assertThat(browser.exitValue()).as("chromium exit code").isZero();
      return new String(out, StandardCharsets.UTF_8);
    } finally {
      browser.destroyForcibly();
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static void installIfAsked() throws IOException, InterruptedException {
    if (Files.isExecutable(CHROMIUM) || !Boolean.getBoolean("web.chromium.install")) {
      return;
    }
    Process apt = new ProcessBuilder("apt-get", "install", "-y", "chromium", "chromium-driver")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (!apt.waitFor(240, TimeUnit.SECONDS)) {
      apt.destroyForcibly();
    }
  }
}
