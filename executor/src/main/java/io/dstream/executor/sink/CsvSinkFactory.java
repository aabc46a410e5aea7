package io.dstream.executor.sink;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.RowType;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The 'csv' sink connector. Option {@code path} (required): the directory the batch files go
 * to, created if missing.
 */
public final class CsvSinkFactory implements SinkFactory {
  public static final String PATH = "path";

  @Override
  public String connector() {
    return "csv";
  }

  @Override
  public void validate(String stream, RowType rowType, Map<String, String> options) {
    directory(stream, options);
  }

  @Override
  public Sink create(String stream, RowType rowType, Map<String, String> options) {
    return new CsvSink(stream, rowType, directory(stream, options));
  }

  private static Path directory(String stream, Map<String, String> options) {
    String pathText = null;
    for (Map.Entry<String, String> e : options.entrySet()) {
      String key = e.getKey().toLowerCase(Locale.ROOT);
      if (key.equals(PATH)) {
        pathText = e.getValue();
      } else if (!key.equals("connector")) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "Unknown option '" + e.getKey()
            + "' for csv sink stream " + stream + "; known options: " + PATH);
      }
    }
    if (pathText == null || pathText.isBlank()) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR,
          "csv sink stream " + stream + " needs option 'path' (a directory)");
    }
    Path path;
    try {
      path = Path.of(pathText);
    } catch (InvalidPathException e) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR,
          "Invalid value '" + pathText + "' for option 'path' of stream " + stream);
    }
    if (Files.exists(path) && !Files.isDirectory(path)) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "csv sink path '" + pathText
          + "' of stream " + stream + " is a file; it must be a directory");
    }
    return path;
  }
}
