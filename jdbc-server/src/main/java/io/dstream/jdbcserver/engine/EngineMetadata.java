package io.dstream.jdbcserver.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.scheduler.BatchLineage;
import io.dstream.executor.scheduler.QueryProgress;
import io.dstream.executor.source.SourceSplit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The driver's own metadata, which a restarted engine resumes from: the catalog as the DDL that
 * built it (in order, dropped streams and functions left out), the next query number, and where each
 * continuous query with a sink stands. Stored as versioned JSON in {@value #FILE_NAME} under the
 * checkpoint directory, replaced atomically (temporary file, fsync, rename) so that a crash
 * leaves the previous or the next version, never a torn one.
 */
record EngineMetadata(int nextQueryNumber, List<CatalogEntry> catalog, List<QueryProgress> queries) {
  static final String FILE_NAME = "_engine.json";
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One CREATE STREAM or CREATE FUNCTION statement; {@code query} names the continuous query it
   * started (derived streams) or is empty. A function's {@code name} is "function " and its name.
   */
  record CatalogEntry(String name, String sql, String query) {
    CatalogEntry {
      requireNonNull(name, "name is null");
      requireNonNull(sql, "sql is null");
      requireNonNull(query, "query is null");
    }
  }

  EngineMetadata {
    catalog = List.copyOf(catalog);
    queries = List.copyOf(queries);
  }

  /** The progress recorded for query {@code id}, if it is still to be resumed. */
  Optional<QueryProgress> query(String id) {
    return queries.stream().filter(q -> q.query().equals(id)).findFirst();
  }

  /** The metadata stored under {@code directory}, if any. */
  static Optional<EngineMetadata> read(Path directory) {
    Path file = directory.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(fromJson(JSON.readTree(file.toFile())));
    } catch (IOException | RuntimeException e) {
      throw new EngineException(ErrorCode.INTERNAL_ERROR, "Cannot read the engine metadata " + file
          + " to resume from: " + e.getMessage() + "; move it away to start with an empty catalog", e);
    }
  }

  /** Replaces the metadata under {@code directory} atomically and durably. */
  void write(Path directory) {
    Path file = directory.resolve(FILE_NAME);
    Path temp = directory.resolve("." + FILE_NAME + ".tmp");
    try {
      Files.createDirectories(directory);
      byte[] bytes = JSON.writeValueAsBytes(toJson());
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new EngineException(ErrorCode.RESOURCE_EXHAUSTED, "Cannot write the engine metadata " + file + ": "
          + e, e);
    }
  }

  ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", VERSION);
    root.put("nextQueryNumber", nextQueryNumber);
    ArrayNode entries = root.putArray("catalog");
    for (CatalogEntry e : catalog) {
      entries.addObject().put("name", e.name()).put("sql", e.sql()).put("query", e.query());
    }
    ArrayNode list = root.putArray("queries");
    for (QueryProgress q : queries) {
      ObjectNode node = list.addObject();
      node.put("id", q.query()).put("lastBatch", q.lastBatch()).put("watermark", q.watermark())
          .put("sourcePosition", q.sourcePosition()).put("finished", q.finished());
      ArrayNode steps = node.putArray("lineage");
      for (BatchLineage step : q.lineage()) {
        ObjectNode s = steps.addObject();
        s.put("batch", step.batch()).put("previousWatermark", step.previousWatermark())
            .put("watermark", step.watermark()).put("processingTime", step.processingTime());
        ArrayNode splits = s.putArray("splits");
        for (int i = 0; i < step.splits().size(); i++) {
          SourceSplit split = step.splits().get(i);
          ObjectNode node2 = splits.addObject().put("path", split.path()).put("start", split.start())
              .put("end", split.end());
          if (step.branches().get(i) != 0) {
            node2.put("input", step.branches().get(i));
          }
        }
      }
    }
    return root;
  }

  static EngineMetadata fromJson(JsonNode root) {
    int version = required(root, "version").asInt();
    if (version != VERSION) {
      throw new IllegalArgumentException("unsupported engine metadata version " + version + ", expected "
          + VERSION);
    }
    List<CatalogEntry> catalog = new ArrayList<>();
    for (JsonNode e : required(root, "catalog")) {
      catalog.add(new CatalogEntry(required(e, "name").asText(), required(e, "sql").asText(),
          required(e, "query").asText()));
    }
    List<QueryProgress> queries = new ArrayList<>();
    for (JsonNode q : required(root, "queries")) {
      List<BatchLineage> lineage = new ArrayList<>();
      for (JsonNode s : required(q, "lineage")) {
        List<SourceSplit> splits = new ArrayList<>();
        List<Integer> inputs = new ArrayList<>();
        for (JsonNode split : required(s, "splits")) {
          splits.add(new SourceSplit(required(split, "path").asText(), required(split, "start").asLong(),
              required(split, "end").asLong()));
          // The input branch of a query with several inputs (a union or a join); absent means 0.
          inputs.add(split.has("input") ? split.get("input").asInt() : 0);
        }
        // processingTime is absent in metadata written before PROCTIME() existed.
        lineage.add(new BatchLineage(required(s, "batch").asLong(), splits, inputs,
            required(s, "previousWatermark").asLong(), required(s, "watermark").asLong(),
            s.path("processingTime").asLong(Long.MIN_VALUE)));
      }
      queries.add(new QueryProgress(required(q, "id").asText(), required(q, "lastBatch").asLong(),
          required(q, "watermark").asLong(), required(q, "sourcePosition").asText(), lineage,
          required(q, "finished").asBoolean()));
    }
    return new EngineMetadata(required(root, "nextQueryNumber").asInt(), catalog, queries);
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("missing field '" + field + "'");
    }
    return value;
  }
}
