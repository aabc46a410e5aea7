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
 * The status page as a real browser renders it: headless Chromium dumps the DOM. The test's setup
 * installs Debian's chromium (and chromium-driver) when {@code /usr/bin/chromium} is missing; the
 * test is skipped only where that cannot be done (no apt-get, no root or sudo, no registry).
 */
@Timeout(900)
class WebChromiumTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final long BROWSER_TIMEOUT_SECONDS = 60;
  private static final long INSTALL_TIMEOUT_SECONDS = 240;

  @Test
  void headlessChromiumRendersTheQueryAndItsPlots() throws Exception {
    installIfMissing();
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
        "skipped: " + CHROMIUM + " not found and apt-get could not install it (needs root or passwordless sudo,"
            + " and Debian's package registry)");
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
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync",
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

  /**
   * The test's setup: installs Debian's chromium and chromium-driver with apt-get when the browser
   * is missing (as root, or through passwordless sudo), refreshing the package lists if the first
   * try fails. {@code -Dweb.chromium.install=false} turns this off.
   */
  private static void installIfMissing() throws IOException, InterruptedException {
    if (Files.isExecutable(CHROMIUM) || !Boolean.parseBoolean(System.getProperty("web.chromium.install", "true"))) {
      return;
    }
    List<String> prefix = isRoot() ? List.of() : List.of("sudo", "-n");
    if (!run(prefix, "apt-get", "install", "-y", "-q", "chromium", "chromium-driver")) {
      run(prefix, "apt-get", "update", "-q");
      run(prefix, "apt-get", "install", "-y", "-q", "chromium", "chromium-driver");
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static boolean run(List<String> prefix, String... command) throws InterruptedException {
    List<String> line = new java.util.ArrayList<>(prefix);
    line.addAll(List.of(command));
    ProcessBuilder builder = new ProcessBuilder(line)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    try {
      Process p = builder.start();
      if (!p.waitFor(INSTALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false; // no apt-get or sudo here: the test is skipped below
    }
  }
}
