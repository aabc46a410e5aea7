package io.dstream.jdbcserver.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TIMESTAMP, DATE and TIME values read the same in a client JVM started in any time zone. (The
 * zone must be set at JVM start: Avatica caches the default zone, so {@code
 * TimeZone.setDefault} in a running JVM does not show what a real client sees.)
 */
class TimestampClientTest {
  @ParameterizedTest
  @ValueSource(strings = {"America/Los_Angeles", "Asia/Kolkata"})
  void temporalValuesHaveNoTimeZoneShift(String zone) throws Exception {
    try (JdbcServer server = JdbcServer.start(new FakeEngine(), "127.0.0.1", 0)) {
      String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      Process process =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-Duser.timezone=" + zone,
                      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                      "-cp",
                      classPath,
                      TimestampClient.class.getName(),
                      server.url()))
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(output).isZero();
      assertThat(output)
          .contains(
              "zone=" + zone,
              "string=2026-01-01 00:00:10.000",
              "local=2026-01-01T00:00:10",
              "object=2026-01-01 00:00:10.0",
              "instant=" + FakeEngine.TEN_SECONDS_INTO_2026,
              "date=2026-01-01 2026-01-01",
              "time=01:01:01 01:01:01");
    }
  }
}
