package io.dstream.executor.source;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.time.Clock;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.RowType;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The 'csv' connector: a header-less csv file, or a directory of them read in name order.
 *
 * <p>Options: {@code path} (required), {@code on.error} ('fail' or 'skip', default 'fail'),
 * {@code batch.bytes} (input bytes per batch, default 16 MiB; a plain number or with a
 * kb/mb/gb suffix, binary multiples) and {@code follow} ('false' by default: read the input
 * present at the first batch, then end; 'true': never end, picking up new files and the
 * complete lines appended to the last one).
 */
public final class CsvSourceFactory implements SourceFactory {
  public static final String PATH = "path";
  public static final String ON_ERROR = "on.error";
  public static final String BATCH_BYTES = "batch.bytes";
  public static final String FOLLOW = "follow";
  public static final long DEFAULT_BATCH_BYTES = 16L << 20;
  public static final long MAX_BATCH_BYTES = 1L << 30;

  private static final Set<String> KNOWN = Set.of(PATH, ON_ERROR, BATCH_BYTES, FOLLOW);

  @Override
  public String connector() {
    return "csv";
  }

  @Override
  public void validate(String stream, RowType rowType, Map<String, String> options) {
    config(stream, rowType, options);
  }

  @Override
  public Source create(String stream, RowType rowType, Map<String, String> options, Clock clock) {
    return new CsvSource(stream, rowType, config(stream, rowType, options));
  }

  private static CsvSource.Config config(String stream, RowType rowType, Map<String, String> options) {
    SourceRegistry.requireKnownOptions("csv", stream, options, KNOWN);
    Map<String, String> normalized = SourceRegistry.normalize(options);
    if (rowType.size() == 0) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "csv stream " + stream + " has no columns");
    }
    for (Column column : rowType.columns()) {
      if (!CsvRowParser.supports(column.type())) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "Column '" + column.name()
            + "' of csv stream " + stream + " has type " + column.type().sqlName()
            + ", which the csv connector cannot read");
      }
    }
    String pathText = normalized.get(PATH);
    if (pathText == null || pathText.isBlank()) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR,
          "csv stream " + stream + " needs option 'path' (a file or a directory)");
    }
    Path path;
    try {
      path = Path.of(pathText);
    } catch (InvalidPathException e) {
      throw SourceRegistry.invalidOption(stream, PATH, pathText, "a file or directory path");
    }
    if (!Files.exists(path)) {
      throw new EngineException(ErrorCode.NOT_FOUND,
          "csv path '" + pathText + "' of stream " + stream + " does not exist");
    }
    boolean skip = SourceRegistry.choiceOption(stream, normalized, ON_ERROR, "fail",
        Set.of("fail", "skip")).equals("skip");
    long batchBytes = DEFAULT_BATCH_BYTES;
    String bytesText = normalized.get(BATCH_BYTES);
    if (bytesText != null) {
      batchBytes = parseBytes(bytesText);
      if (batchBytes < 1 || batchBytes > MAX_BATCH_BYTES) {
        throw SourceRegistry.invalidOption(stream, BATCH_BYTES, bytesText,
            "a byte count between 1 and 1gb, e.g. 16mb");
      }
    }
    boolean follow = SourceRegistry.booleanOption(stream, normalized, FOLLOW, false);
    return new CsvSource.Config(path, skip, batchBytes, follow);
  }

  /** Parses '16777216', '16mb', '16 MiB', '512k'; -1 when malformed. */
  static long parseBytes(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
    int i = 0;
    while (i < t.length() && Character.isDigit(t.charAt(i))) {
      i++;
    }
    if (i == 0 || i > 12) {
      return -1;
    }
    long number = Long.parseLong(t.substring(0, i));
    long unit = switch (t.substring(i).trim()) {
      case "", "b" -> 1;
      case "k", "kb", "kib" -> 1L << 10;
      case "m", "mb", "mib" -> 1L << 20;
      case "g", "gb", "gib" -> 1L << 30;
      default -> -1;
    };
    return unit < 0 ? -1 : number * unit;
  }
}
