package io.dstream.sqltests;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts real worker JVMs ({@code dstream worker}) on this machine's test classpath. */
public final class WorkerProcesses {
  private WorkerProcesses() {}

  /**
   * Starts a worker joining the driver at 127.0.0.1:{@code port}, logging to {@code log};
   * {@code extraArgs} go to the worker command line.
   */
  public static Process start(String id, int port, String secret, Path log, String... extraArgs)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx1g",
        "-cp", System.getProperty("java.class.path"), "io.dstream.jdbcserver.cli.Main",
        "worker", "--driver", "127.0.0.1:" + port, "--id", id, "--cores", "1"));
    command.addAll(List.of(extraArgs));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("DSTREAM_SECRET", secret);
    return pb.start();
  }
}
