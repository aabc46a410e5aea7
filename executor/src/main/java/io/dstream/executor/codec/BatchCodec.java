package io.dstream.executor.codec;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;
import org.apache.arrow.vector.util.ValueVectorUtility;

/**
 * Encodes a {@link ColumnBatch} as one Arrow IPC stream (a schema message, one record batch and
 * the end-of-stream marker) and decodes it back. The schema carries the column names of the
 * batch's row type and the metadata entry {@value #VERSION_KEY} = {@value #VERSION}. Stateless
 * and thread-safe.
 *
 * <p>Ownership: encoding only reads the batch, which stays open and unchanged, and never
 * closes the channel or releases the buffer it writes to. Decoding returns a new batch owned by
 * the caller, its vectors allocated from the given allocator; on failure it throws
 * {@link CodecException} and holds no memory. Decoding checks the stream's framing before Arrow
 * reads it (so a truncated stream fails rather than allocating or reading past the end), then the
 * schema against the expected row type (column count and physical class of each column), then
 * the buffer sizes of every vector and the offsets of string vectors.
 */
public final class BatchCodec {
  /** The schema metadata key holding the batch format version. */
  public static final String VERSION_KEY = "dstream.batch.version";

  /** The batch format version this build writes and reads. */
  public static final String VERSION = "1";

  private static final ArrowType LONG = new ArrowType.Int(64, true);
  private static final ArrowType DOUBLE = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
  private static final ArrowType BOOLEAN = ArrowType.Bool.INSTANCE;
  private static final ArrowType STRING = ArrowType.Utf8.INSTANCE;

  private BatchCodec() {}

  /** The batch as the bytes of an Arrow IPC stream. */
  public static byte[] encode(ColumnBatch batch) {
    ByteBuf buffer = Unpooled.buffer((int) Math.min(Integer.MAX_VALUE - 8, batch.sizeInBytes() + 1024));
    try {
      encode(batch, buffer);
      return ByteBufUtil.getBytes(buffer);
    } finally {
      buffer.release();
    }
  }

  /** Appends the stream at {@code out}'s writer index, growing it as needed. */
  public static void encode(ColumnBatch batch, ByteBuf out) {
    requireNonNull(out, "out is null");
    write(batch, new ByteBufChannel(out));
  }

  /**
   * Writes the stream to {@code out}, blocking until it is written; {@code out} stays open.
   *
   * @throws UncheckedIOException when the channel fails
   */
  public static void encode(ColumnBatch batch, WritableByteChannel out) {
    requireNonNull(out, "out is null");
    write(batch, new NonClosingChannel(out));
  }

  /** Decodes bytes that must hold exactly one stream, as {@link #encode(ColumnBatch)} writes. */
  public static ColumnBatch decode(byte[] bytes, BufferAllocator allocator, RowType rowType) {
    requireNonNull(bytes, "bytes is null");
    ByteBuf in = Unpooled.wrappedBuffer(bytes);
    IpcStreamScanner.Stream stream = IpcStreamScanner.scan(in, 0);
    if (stream.length() != bytes.length) {
      throw new CodecException((bytes.length - stream.length()) + " trailing bytes after the Arrow IPC stream");
    }
    return read(in, stream, allocator, rowType);
  }

  /**
   * Decodes the stream starting at {@code in}'s reader index and moves the reader index past
   * it, leaving any bytes after it readable; on failure the reader index does not move. The
   * buffer stays the caller's and is not released.
   */
  public static ColumnBatch decode(ByteBuf in, BufferAllocator allocator, RowType rowType) {
    requireNonNull(in, "in is null");
    int start = in.readerIndex();
    IpcStreamScanner.Stream stream = IpcStreamScanner.scan(in, start);
    ColumnBatch batch = read(in.slice(start, stream.length()), stream, allocator, rowType);
    in.readerIndex(start + stream.length());
    return batch;
  }

  private static void write(ColumnBatch batch, WritableByteChannel channel) {
    RowType rowType = batch.rowType();
    List<Field> fields = new ArrayList<>(batch.columnCount());
    List<FieldVector> vectors = new ArrayList<>(batch.columnCount());
    for (int i = 0; i < batch.columnCount(); i++) {
      FieldVector vector = batch.vector(i);
      ArrowType expected = arrowType(rowType.type(i).physical());
      if (!vector.getField().getType().equals(expected)) {
        throw new CodecException("column " + i + " (" + rowType.column(i).name() + ") of type "
            + rowType.type(i) + " is held in a " + vector.getField().getType() + " vector, expected " + expected);
      }
      fields.add(new Field(rowType.column(i).name(), vector.getField().getFieldType(), List.of()));
      vectors.add(vector);
    }
    // The root only borrows the batch's vectors: it is deliberately never closed.
    VectorSchemaRoot root = new VectorSchemaRoot(new Schema(fields, Map.of(VERSION_KEY, VERSION)),
        vectors, batch.rowCount());
    try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, channel)) {
      writer.start();
      writer.writeBatch();
      writer.end();
    } catch (IOException e) {
      throw new UncheckedIOException("could not write Arrow IPC stream of " + batch, e);
    }
  }

  /** Reads one stream whose framing is already checked; {@code in} holds exactly that stream. */
  private static ColumnBatch read(ByteBuf in, IpcStreamScanner.Stream stream, BufferAllocator allocator,
      RowType rowType) {
    requireNonNull(allocator, "allocator is null");
    requireNonNull(rowType, "rowType is null");
    try (ArrowStreamReader reader = new ArrowStreamReader(new ByteBufChannel(in), allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      checkSchema(root.getSchema(), rowType);
      checkLayout(stream, rowType);
      if (!reader.loadNextBatch()) {
        throw new CodecException("Arrow IPC stream holds no record batch");
      }
      ValueVectorUtility.validate(root);
      checkOffsets(root, rowType);
      return transfer(root, allocator, rowType);
    } catch (IOException e) {
      throw new CodecException("malformed Arrow IPC stream: " + e.getMessage(), e);
    } catch (CodecException | OutOfMemoryException e) {
      throw e;
    } catch (RuntimeException e) {
      // Arrow reports inconsistent metadata and buffers of untrusted input with assorted
      // runtime exceptions; this is the boundary where they become one.
      throw new CodecException("malformed Arrow IPC stream: " + e, e);
    }
  }

  private static void checkSchema(Schema schema, RowType rowType) {
    String version = schema.getCustomMetadata().get(VERSION_KEY);
    if (!VERSION.equals(version)) {
      throw new CodecException("unsupported batch format version " + version + " (this build reads version "
          + VERSION + ")");
    }
    List<Field> fields = schema.getFields();
    if (fields.size() != rowType.size()) {
      throw new CodecException("batch has " + fields.size() + " columns, expected " + rowType.size()
          + " for " + rowType);
    }
    for (int i = 0; i < fields.size(); i++) {
      Field field = fields.get(i);
      DataType type = rowType.type(i);
      ArrowType expected = arrowType(type.physical());
      if (!field.getType().equals(expected) || !field.getChildren().isEmpty() || field.getDictionary() != null) {
        throw new CodecException("batch column " + i + " (" + field.getName() + ") is " + field.getType()
            + ", expected " + expected + " for column " + rowType.column(i).name() + " " + type);
      }
    }
  }

  /**
   * Checks that the record batch has one node per column, each with the batch's row count, and
   * buffers large enough for that many values, so that loading it never grows a vector: Arrow
   * would otherwise allocate whatever row count the metadata claims.
   */
  private static void checkLayout(IpcStreamScanner.Stream stream, RowType rowType) {
    long rows = stream.rows();
    if (stream.nodeLengths().length != rowType.size()) {
      throw new CodecException("record batch has " + stream.nodeLengths().length + " column nodes, expected "
          + rowType.size());
    }
    int buffer = 0;
    for (int c = 0; c < rowType.size(); c++) {
      if (stream.nodeLengths()[c] != rows) {
        throw new CodecException("column " + c + " has " + stream.nodeLengths()[c] + " values in a batch of "
            + rows + " rows");
      }
      DataType.Physical physical = rowType.type(c).physical();
      int buffers = physical == DataType.Physical.STRING ? 3 : 2;
      if (buffer + buffers > stream.bufferLengths().length) {
        throw new CodecException("record batch has " + stream.bufferLengths().length + " buffers, too few for "
            + rowType);
      }
      long bits = (rows + 7) / 8;
      long validity = stream.nullCounts()[c] == 0 ? 0 : bits;
      long values = switch (physical) {
        case LONG, DOUBLE -> rows * 8;
        case BOOLEAN -> bits;
        case STRING -> rows == 0 ? 0 : (rows + 1) * 4;
      };
      if (stream.bufferLengths()[buffer] < validity || stream.bufferLengths()[buffer + 1] < values) {
        throw new CodecException("column " + c + " buffers of " + stream.bufferLengths()[buffer] + " and "
            + stream.bufferLengths()[buffer + 1] + " bytes are too small for " + rows + " rows of " + physical);
      }
      buffer += buffers;
    }
    if (buffer != stream.bufferLengths().length) {
      throw new CodecException("record batch has " + stream.bufferLengths().length + " buffers, expected " + buffer);
    }
  }

  /**
   * Checks that string offsets start at 0 or more, never decrease and end within the data
   * buffer, so that reading any value stays in bounds; cheaper than Arrow's full validation,
   * which also walks every other buffer.
   */
  private static void checkOffsets(VectorSchemaRoot root, RowType rowType) {
    int rows = root.getRowCount();
    for (int c = 0; c < rowType.size(); c++) {
      if (rowType.type(c).physical() != DataType.Physical.STRING || rows == 0) {
        continue;
      }
      VarCharVector vector = (VarCharVector) root.getVector(c);
      ArrowBuf offsets = vector.getOffsetBuffer();
      int previous = offsets.getInt(0);
      if (previous < 0) {
        throw new CodecException("column " + c + " starts at negative offset " + previous);
      }
      for (int r = 1; r <= rows; r++) {
        int offset = offsets.getInt((long) r * VarCharVector.OFFSET_WIDTH);
        if (offset < previous) {
          throw new CodecException("column " + c + " offsets decrease at row " + r);
        }
        previous = offset;
      }
      if (previous > vector.getDataBuffer().capacity()) {
        throw new CodecException("column " + c + " values end at " + previous + ", past its data buffer of "
            + vector.getDataBuffer().capacity() + " bytes");
      }
    }
  }

  /** Moves the root's buffers into new vectors named after the row type's columns. */
  private static ColumnBatch transfer(VectorSchemaRoot root, BufferAllocator allocator, RowType rowType) {
    int rows = root.getRowCount();
    List<FieldVector> vectors = new ArrayList<>(rowType.size());
    try {
      for (int i = 0; i < rowType.size(); i++) {
        TransferPair pair = root.getVector(i).getTransferPair(rowType.column(i).name(), allocator);
        pair.transfer();
        vectors.add((FieldVector) pair.getTo());
      }
      return new ColumnBatch(rowType, vectors, rows);
    } catch (RuntimeException e) {
      for (FieldVector vector : vectors) {
        vector.close();
      }
      throw e;
    }
  }

  private static ArrowType arrowType(DataType.Physical physical) {
    return switch (physical) {
      case LONG -> LONG;
      case DOUBLE -> DOUBLE;
      case BOOLEAN -> BOOLEAN;
      case STRING -> STRING;
    };
  }

  /** Hands writes to a caller's channel and leaves it open when the Arrow writer closes. */
  private static final class NonClosingChannel implements WritableByteChannel {
    private final WritableByteChannel delegate;

    NonClosingChannel(WritableByteChannel delegate) {
      this.delegate = delegate;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return delegate.write(src);
    }

    @Override
    public boolean isOpen() {
      return delegate.isOpen();
    }

    @Override
    public void close() {}
  }
}
