package io.dstream.executor.codec;

import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.BOOLEAN;
import static io.dstream.executor.kernel.TestBatches.DOUBLE;
import static io.dstream.executor.kernel.TestBatches.TIMESTAMP;
import static io.dstream.executor.kernel.TestBatches.VARCHAR;
import static io.dstream.executor.kernel.TestBatches.batch;
import static io.dstream.executor.kernel.TestBatches.row;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static io.dstream.executor.kernel.TestBatches.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.dstream.executor.batch.BatchBuilder;
import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchCodecTest {
  private static final RowType ALL = rowType("id", BIGINT, "price", DataType.decimal(10, 2), "score", DOUBLE,
      "ok", BOOLEAN, "name", VARCHAR, "ts", TIMESTAMP);

  private final BufferAllocator root = new RootAllocator();
  private final BufferAllocator source = root.newChildAllocator("source", 0, Long.MAX_VALUE);
  private final BufferAllocator target = root.newChildAllocator("target", 0, Long.MAX_VALUE);

  @AfterEach
  void closeAllocators() {
    target.close();
    source.close();
    root.close();
  }

  @Test
  void everyPhysicalClassRoundTripsWithNulls() {
    try (ColumnBatch original = sample()) {
      long before = source.getAllocatedMemory();
      byte[] bytes = BatchCodec.encode(original);
      assertThat(source.getAllocatedMemory()).isEqualTo(before);
      try (ColumnBatch decoded = BatchCodec.decode(bytes, target, ALL)) {
        assertThat(decoded.rowType()).isEqualTo(ALL);
        assertThat(decoded.rowCount()).isEqualTo(4);
        assertThat(rows(decoded)).isEqualTo(rows(original));
        assertThat(target.getAllocatedMemory()).isPositive();
        for (int c = 0; c < ALL.size(); c++) {
          assertThat(decoded.vector(c).getName()).isEqualTo(ALL.column(c).name());
          assertThat(decoded.vector(c).getClass()).isEqualTo(original.vector(c).getClass());
        }
      }
      // The caller's batch is untouched and still usable.
      assertThat(rows(original)).hasSize(4).contains(row(null, null, null, null, null, null));
    }
    assertThat(target.getAllocatedMemory()).isZero();
  }

  @Test
  void emptyBatchesRoundTrip() {
    try (ColumnBatch empty = ColumnBatch.empty(ALL, source);
        ColumnBatch decoded = BatchCodec.decode(BatchCodec.encode(empty), target, ALL)) {
      assertThat(decoded.rowCount()).isZero();
      assertThat(decoded.columnCount()).isEqualTo(ALL.size());
      for (int c = 0; c < ALL.size(); c++) {
        assertThat(decoded.vector(c).getValueCount()).isZero();
      }
    }
    try (ColumnBatch built = new BatchBuilder(ALL, source).build();
        ColumnBatch decoded = BatchCodec.decode(BatchCodec.encode(built), target, ALL)) {
      assertThat(decoded.rowCount()).isZero();
    }
    RowType noColumns = new RowType(List.of());
    try (ColumnBatch none = ColumnBatch.empty(noColumns, source);
        ColumnBatch decoded = BatchCodec.decode(BatchCodec.encode(none), target, noColumns)) {
      assertThat(decoded.columnCount()).isZero();
    }
  }

  @Test
  void decodedEmptyBatchAcceptsAppends() {
    try (ColumnBatch empty = ColumnBatch.empty(ALL, source);
        ColumnBatch decoded = BatchCodec.decode(BatchCodec.encode(empty), target, ALL)) {
      decoded.strings(4).setSafe(0, "x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      decoded.strings(4).setValueCount(1);
      assertThat(new String(decoded.strings(4).get(0), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("x");
    }
  }

  @Test
  void hundredThousandRowsRoundTrip() {
    int rows = 100_000;
    Random random = new Random(7);
    try (BatchBuilder builder = new BatchBuilder(ALL, source, rows)) {
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < ALL.size(); c++) {
          if (random.nextInt(10) == 0) {
            builder.setNull(c);
            continue;
          }
          switch (ALL.type(c).physical()) {
            case LONG -> builder.setLong(c, random.nextLong());
            case DOUBLE -> builder.setDouble(c, random.nextGaussian());
            case BOOLEAN -> builder.setBoolean(c, random.nextBoolean());
            case STRING -> builder.setString(c, "name-" + r + "-é".repeat(r % 5));
          }
        }
        builder.endRow();
      }
      try (ColumnBatch original = builder.build();
          ColumnBatch decoded = BatchCodec.decode(BatchCodec.encode(original), target, ALL)) {
        assertThat(decoded.rowCount()).isEqualTo(rows);
        for (int c = 0; c < ALL.size(); c++) {
          FieldVector expected = original.vector(c);
          FieldVector actual = decoded.vector(c);
          assertThat(actual.getNullCount()).isEqualTo(expected.getNullCount()).isPositive();
          for (int r = 0; r < rows; r++) {
            if (!java.util.Objects.equals(actual.getObject(r), expected.getObject(r))) {
              fail("column " + c + " row " + r + ": " + actual.getObject(r) + " != " + expected.getObject(r));
            }
          }
        }
      }
    }
  }

  @Test
  void sameLayoutUnderAnotherLogicalTypeDecodes() {
    RowType asLongs = rowType("a", BIGINT, "b", BIGINT, "c", DOUBLE, "d", BOOLEAN, "e", VARCHAR, "f", BIGINT);
    try (ColumnBatch original = sample();
        ColumnBatch decoded = BatchCodec.decode(BatchCodec.encode(original), target, asLongs)) {
      assertThat(decoded.rowType()).isEqualTo(asLongs);
      assertThat(decoded.longs(5).get(0)).isEqualTo(original.longs(5).get(0));
    }
  }

  @Test
  void schemaMismatchIsRejectedAndLeaksNothing() {
    RowType wrongClass = rowType("id", BIGINT, "price", BIGINT, "score", BIGINT, "ok", BOOLEAN, "name", VARCHAR,
        "ts", TIMESTAMP);
    RowType fewerColumns = rowType("id", BIGINT);
    try (ColumnBatch original = sample()) {
      byte[] bytes = BatchCodec.encode(original);
      assertThatThrownBy(() -> BatchCodec.decode(bytes, target, wrongClass))
          .isInstanceOf(CodecException.class)
          .hasMessageContaining("batch column 2 (score) is FloatingPoint(DOUBLE), expected Int(64, true)");
      assertThatThrownBy(() -> BatchCodec.decode(bytes, target, fewerColumns))
          .isInstanceOf(CodecException.class).hasMessageContaining("batch has 6 columns, expected 1");
      assertThat(target.getAllocatedMemory()).isZero();
    }
  }

  @Test
  void batchWhoseVectorsDoNotMatchItsRowTypeIsNotEncoded() {
    try (ColumnBatch original = sample()) {
      ColumnBatch mislabeled = new ColumnBatch(rowType("a", BIGINT, "b", BIGINT, "c", BIGINT, "d", BOOLEAN,
          "e", VARCHAR, "f", BIGINT), List.of(original.vector(0), original.vector(1), original.vector(2),
          original.vector(3), original.vector(4), original.vector(5)), original.rowCount());
      assertThatThrownBy(() -> BatchCodec.encode(mislabeled)).isInstanceOf(CodecException.class)
          .hasMessageContaining("column 2 (c)");
    }
  }

  @Test
  void everyTruncationIsRejectedAndLeaksNothing() {
    try (ColumnBatch original = sample()) {
      byte[] bytes = BatchCodec.encode(original);
      for (int length = 0; length < bytes.length; length++) {
        byte[] prefix = Arrays.copyOf(bytes, length);
        assertThatThrownBy(() -> BatchCodec.decode(prefix, target, ALL)).as("prefix of %d bytes", length)
            .isInstanceOf(CodecException.class);
        assertThat(target.getAllocatedMemory()).isZero();
      }
    }
  }

  @Test
  void trailingBytesAreRejected() {
    try (ColumnBatch original = sample()) {
      byte[] bytes = BatchCodec.encode(original);
      byte[] longer = Arrays.copyOf(bytes, bytes.length + 8);
      assertThatThrownBy(() -> BatchCodec.decode(longer, target, ALL)).isInstanceOf(CodecException.class)
          .hasMessage("8 trailing bytes after the Arrow IPC stream");
    }
  }

  @Test
  void randomBytesAreRejected() {
    Random random = new Random(11);
    for (int i = 0; i < 10_000; i++) {
      byte[] bytes = new byte[random.nextInt(200)];
      random.nextBytes(bytes);
      if (bytes.length >= 4 && random.nextBoolean()) {
        Arrays.fill(bytes, 0, 4, (byte) 0xFF);
      }
      assertThatThrownBy(() -> BatchCodec.decode(bytes, target, ALL)).isInstanceOf(CodecException.class);
    }
    assertThat(target.getAllocatedMemory()).isZero();
  }

  @Test
  void corruptedStreamsFailOnlyWithCodecExceptionAndLeakNothing() {
    Random random = new Random(13);
    try (ColumnBatch original = sample()) {
      byte[] valid = BatchCodec.encode(original);
      int decodedCount = 0;
      for (int i = 0; i < 20_000; i++) {
        byte[] bytes = valid.clone();
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
          int at = random.nextInt(bytes.length);
          bytes[at] = random.nextInt(4) == 0 ? (byte) random.nextInt() : (byte) (bytes[at] ^ (1 << random.nextInt(8)));
        }
        try (ColumnBatch decoded = BatchCodec.decode(bytes, target, ALL)) {
          decodedCount++;
          assertThat(decoded.rowType()).isEqualTo(ALL);
        } catch (CodecException expected) {
          assertThat(expected.getMessage()).isNotBlank();
        } catch (RuntimeException e) {
          fail("decoder leaked " + e + " for " + Arrays.toString(bytes), e);
        }
        assertThat(target.getAllocatedMemory()).isZero();
      }
      // Flipped value bytes still decode; flipped framing or metadata does not.
      assertThat(decodedCount).isBetween(1, 19_999);
    }
  }

  @Test
  void otherVersionOrMissingVersionIsRejected() throws IOException {
    try (ColumnBatch original = sample()) {
      assertThatThrownBy(() -> BatchCodec.decode(writeRaw(original, Map.of(BatchCodec.VERSION_KEY, "2"), 1), target, ALL))
          .isInstanceOf(CodecException.class)
          .hasMessage("unsupported batch format version 2 (this build reads version 1)");
      assertThatThrownBy(() -> BatchCodec.decode(writeRaw(original, Map.of(), 1), target, ALL))
          .isInstanceOf(CodecException.class).hasMessageContaining("unsupported batch format version null");
    }
    assertThat(target.getAllocatedMemory()).isZero();
  }

  @Test
  void streamWithOtherThanOneRecordBatchIsRejected() throws IOException {
    try (ColumnBatch original = sample()) {
      Map<String, String> version = Map.of(BatchCodec.VERSION_KEY, BatchCodec.VERSION);
      assertThatThrownBy(() -> BatchCodec.decode(writeRaw(original, version, 2), target, ALL))
          .isInstanceOf(CodecException.class).hasMessageContaining("holds 2 record batches, expected exactly 1");
      assertThatThrownBy(() -> BatchCodec.decode(writeRaw(original, version, 0), target, ALL))
          .isInstanceOf(CodecException.class).hasMessageContaining("holds 0 record batches");
    }
  }

  @Test
  void byteBufHoldsConsecutiveStreams() {
    ByteBuf buffer = Unpooled.directBuffer();
    try (ColumnBatch first = sample();
        ColumnBatch second = batch(source, ALL, List.of(row(9L, "0.01", 0.5, false, "z", 0L)))) {
      BatchCodec.encode(first, buffer);
      int firstLength = buffer.writerIndex();
      BatchCodec.encode(second, buffer);
      buffer.writeByte(42);
      try (ColumnBatch a = BatchCodec.decode(buffer, target, ALL)) {
        assertThat(buffer.readerIndex()).isEqualTo(firstLength);
        assertThat(rows(a)).isEqualTo(rows(first));
      }
      try (ColumnBatch b = BatchCodec.decode(buffer, target, ALL)) {
        assertThat(rows(b)).isEqualTo(rows(second));
      }
      assertThat(buffer.readableBytes()).isEqualTo(1);
      int before = buffer.readerIndex();
      assertThatThrownBy(() -> BatchCodec.decode(buffer, target, ALL)).isInstanceOf(CodecException.class);
      assertThat(buffer.readerIndex()).isEqualTo(before);
      assertThat(buffer.refCnt()).isEqualTo(1);
    } finally {
      buffer.release();
    }
  }

  @Test
  void channelIsWrittenAndLeftOpen() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WritableByteChannel channel = Channels.newChannel(out);
    try (ColumnBatch original = sample()) {
      BatchCodec.encode(original, channel);
      assertThat(channel.isOpen()).isTrue();
      assertThat(out.toByteArray()).isEqualTo(BatchCodec.encode(original));
      try (ColumnBatch decoded = BatchCodec.decode(out.toByteArray(), target, ALL)) {
        assertThat(rows(decoded)).isEqualTo(rows(original));
      }
    }
  }

  private ColumnBatch sample() {
    return batch(source, ALL, List.of(
        row(1L, "12.50", 1.5, true, "alpha", 1_767_225_600_000L),
        row(null, null, null, null, null, null),
        row(Long.MIN_VALUE, "-0.01", Double.NaN, false, "", Long.MAX_VALUE),
        row(3L, "99999999.99", -0.0, null, "ü€😀 with, comma", null)));
  }

  /** A stream written by Arrow directly, with the given schema metadata and number of batches. */
  private static byte[] writeRaw(ColumnBatch batch, Map<String, String> metadata, int batches) throws IOException {
    List<Field> fields = new ArrayList<>();
    List<FieldVector> vectors = new ArrayList<>();
    for (int c = 0; c < batch.columnCount(); c++) {
      fields.add(batch.vector(c).getField());
      vectors.add(batch.vector(c));
    }
    VectorSchemaRoot root = new VectorSchemaRoot(new Schema(fields, metadata), vectors, batch.rowCount());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
      writer.start();
      for (int i = 0; i < batches; i++) {
        writer.writeBatch();
      }
      writer.end();
    }
    return out.toByteArray();
  }
}
