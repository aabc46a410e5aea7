package io.dstream.sqltests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.sqltests.functions.Bucket;
import io.dstream.sqltests.functions.Ratio;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * User-defined functions loaded from a jar that is on a process's classpath and nowhere else:
 * the jar is written at test time from this module's compiled function classes, and the
 * processes run on the test classpath without the test classes, plus the jar, as the
 * {@code ./dstream} launcher does with {@code DSTREAM_CLASSPATH}. Covers a fresh server process
 * queried over JDBC, worker processes of a cluster that load the class from their own classpath,
 * and a worker without the jar, which refuses the query when it is installed.
 */
@Timeout(240)
class FunctionClasspathTest {
  private static final String SECRET = "udf-secret";

  @TempDir
  Path dir;

  private final List<Process> processes = new ArrayList<>();
  private Path input;
  private Path jar;

  @BeforeEach
  void writeInputAndJar() throws Exception {
    input = dir.resolve("bids.csv");
    ClusterEndToEndTest.writeBids(input, 3_000);
    jar = dir.resolve("functions.jar");
    writeJar(jar, Bucket.class);
  }

  @AfterEach
  void stopProcesses() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** A jar holding the compiled bytes of {@code classes}, read from the test classpath. */
  static void writeJar(Path jar, Class<?>... classes) throws Exception {
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      for (Class<?> c : classes) {
        String entry = c.getName().replace('.', '/') + ".class";
        out.putNextEntry(new JarEntry(entry));
        try (InputStream bytes = c.getClassLoader().getResourceAsStream(entry)) {
          bytes.transferTo(out);
        }
        out.closeEntry();
      }
    }
  }

  /** This JVM's classpath without this module's test classes (where the function classes are). */
  static String classpathWithoutTestClasses() {
    String testClasses = Path.of(Bucket.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .toAbsolutePath().normalize().toString();
    String kept = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !Path.of(e).toAbsolutePath().normalize().toString().equals(testClasses))
        .collect(Collectors.joining(File.pathSeparator));
    assertThat(kept).as("the test classes are left out").hasSizeLessThan(
        System.getProperty("java.class.path").length());
    return kept;
  }

  private Process java(Path log, String classpath, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx512m", "-cp", classpath,
        "io.dstream.jdbcserver.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    if (log != null) {
      pb.redirectOutput(log.toFile());
    }
    pb.environment().put("DSTREAM_SECRET", SECRET);
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private static List<String> expectedBuckets(Path input, long width) throws Exception {
    List<String> rows = new ArrayList<>();
    for (String line : Files.readAllLines(input, StandardCharsets.UTF_8)) {
      String[] f = line.split(",");
      rows.add(f[0] + "," + Math.floorDiv(Long.parseLong(f[2]), width));
    }
    return rows;
  }

  @Test
  void aFreshServerLoadsAFunctionFromAJarOnItsClasspath() throws Exception {
    Process server = java(null, classpathWithoutTestClasses() + File.pathSeparator + jar,
        "server", "--port", "0", "--batch-interval", "100ms");
    BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String url = null;
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith("DStream SQL server listening on ")) {
        url = line.substring("DStream SQL server listening on ".length()).strip();
        break;
      }
    }
    assertThat(url).as("the server started").isNotNull();
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute(ClusterEndToEndTest.createBids("bids", input));
      s.execute("CREATE FUNCTION bucket AS '" + Bucket.class.getName() + "'");
      assertThatThrownBy(() -> s.execute("CREATE FUNCTION ratio AS '" + Ratio.class.getName() + "'"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Function ratio: class " + Ratio.class.getName() + " is not on the classpath");
      try (ResultSet rs = s.executeQuery("SHOW FUNCTIONS")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1) + "," + rs.getString(3) + "," + rs.getString(4))
            .isEqualTo("bucket," + Bucket.class.getName() + ",(BIGINT, BIGINT) -> BIGINT");
      }
      // A bounded csv stream: the push query ends with its input.
      try (ResultSet rs = s.executeQuery("SELECT STREAM auction, bucket(price, 1000) AS b FROM bids")) {
        while (rs.next()) {
          rows.add(rs.getLong(1) + "," + rs.getLong(2));
        }
      }
    }
    assertThat(rows).containsExactlyInAnyOrderElementsOf(expectedBuckets(input, 1000));
  }

  @Test
  void workerProcessesLoadTheFunctionFromTheirOwnClasspath() throws Exception {
    String query = "SELECT STREAM auction, bucket(price, 100) AS b FROM bids";
    EngineConfig config = new EngineConfig(1, 1, 1000, new ManualClock(0))
        .withCluster(new EngineConfig.Cluster("127.0.0.1", 0, SECRET));
    try (Engine cluster = new Engine(config)) {
      int port = cluster.cluster().orElseThrow().port();
      String classpath = classpathWithoutTestClasses() + File.pathSeparator + jar;
      for (String id : List.of("w1", "w2")) {
        java(dir.resolve(id + ".log"), classpath, "worker", "--driver", "127.0.0.1:" + port, "--id", id,
            "--cores", "1");
      }
      assertThat(cluster.cluster().orElseThrow().awaitWorkers(2, 120_000)).as("2 workers joined").isTrue();
      cluster.execute(ClusterEndToEndTest.createBids("bids", input));
      cluster.execute("CREATE FUNCTION bucket AS '" + Bucket.class.getName() + "'");
      List<String> rows = ClusterEndToEndTest.runToEnd(cluster, (ManualClock) cluster.config().clock(), query);
      assertThat(rows).containsExactlyInAnyOrderElementsOf(expectedBuckets(input, 100));
    }
  }

  @Test
  void aWorkerWithoutTheClassRefusesTheQueryWhenItIsInstalled() throws Exception {
    EngineConfig config = new EngineConfig(1, 1, 1000, new ManualClock(0))
        .withCluster(new EngineConfig.Cluster("127.0.0.1", 0, SECRET));
    try (Engine cluster = new Engine(config)) {
      int port = cluster.cluster().orElseThrow().port();
      java(dir.resolve("w1.log"), classpathWithoutTestClasses(), "worker", "--driver", "127.0.0.1:" + port,
          "--id", "w1", "--cores", "1");
      assertThat(cluster.cluster().orElseThrow().awaitWorkers(1, 120_000)).as("the worker joined").isTrue();
      cluster.execute(ClusterEndToEndTest.createBids("bids", input));
      // The driver (this JVM) has the class; the worker does not.
      cluster.execute("CREATE FUNCTION bucket AS '" + Bucket.class.getName() + "'");
      assertThatThrownBy(() -> cluster.execute("SELECT STREAM bucket(price, 100) AS b FROM bids"))
          .hasMessage("Worker w1 cannot install query q1: Function bucket: class " + Bucket.class.getName()
              + " is not on the classpath; add its jar to the server's and every worker's classpath"
              + " (DSTREAM_CLASSPATH)");
      assertThat(cluster.driver().queries()).isEmpty();
      // Queries without the function still run on that worker.
      List<String> rows = ClusterEndToEndTest.runToEnd(cluster, (ManualClock) cluster.config().clock(),
          "SELECT STREAM auction FROM bids WHERE price < 50");
      assertThat(rows).isNotEmpty();
    }
  }
}
