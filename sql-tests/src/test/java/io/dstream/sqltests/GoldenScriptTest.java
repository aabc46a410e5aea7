package io.dstream.sqltests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every golden script under src/test/resources/golden, or, with {@code -Dgolden=TEXT}, those
 * whose file name contains TEXT.
 */
class GoldenScriptTest {
  @TestFactory
  Stream<DynamicTest> goldenScripts() throws Exception {
    Path dir = Path.of("src/test/resources/golden");
    List<Path> scripts;
    try (Stream<Path> files = Files.list(dir)) {
      String only = System.getProperty("golden", "");
      scripts = files.filter(p -> p.toString().endsWith(".test"))
          .filter(p -> p.getFileName().toString().contains(only)).sorted().toList();
    }
    return scripts.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
        () -> new GoldenScript(p).run()));
  }
}
