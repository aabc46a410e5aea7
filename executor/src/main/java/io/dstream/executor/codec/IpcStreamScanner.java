package io.dstream.executor.codec;

import io.netty.buffer.ByteBuf;
import java.nio.ByteOrder;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;

/**
 * Checks the framing of an Arrow IPC stream before Arrow reads it: a schema message, exactly
 * one record batch, then the end-of-stream marker, each message's metadata and body lying within
 * the input. Arrow itself would trust the lengths it reads and allocate whatever they say, and
 * would take a stream cut at a message boundary for a complete one; this check makes both a
 * {@link CodecException} instead. Stateless.
 */
final class IpcStreamScanner {
  /** The marker before each message's metadata length in the current IPC format. */
  private static final int CONTINUATION = 0xFFFFFFFF;

  private IpcStreamScanner() {}

  /**
   * What the scan found: the stream's length in bytes (up to and including its end-of-stream
   * marker) and the layout of its record batch, for checking against the expected schema before
   * Arrow allocates anything for it.
   */
  record Stream(int length, long rows, long[] nodeLengths, long[] nullCounts, long[] bufferLengths) {}

  /**
   * Scans the stream starting at {@code start} in {@code in}, reading no more than {@code in}'s
   * readable bytes and leaving its indexes alone.
   */
  static Stream scan(ByteBuf in, int start) {
    int end = in.writerIndex();
    int position = start;
    int batches = 0;
    Stream layout = null;
    for (int index = 0; ; index++) {
      if (end - position < 8) {
        throw new CodecException("truncated Arrow IPC stream: message " + index + " at offset "
            + (position - start) + " needs an 8-byte prefix, " + (end - position) + " bytes left");
      }
      if (in.getIntLE(position) != CONTINUATION) {
        throw new CodecException("not an Arrow IPC stream: no continuation marker at offset " + (position - start));
      }
      int metadataLength = in.getIntLE(position + 4);
      position += 8;
      if (metadataLength == 0) {
        break;
      }
      if (metadataLength < 0 || metadataLength > end - position) {
        throw new CodecException("truncated Arrow IPC stream: message " + index + " metadata of "
            + Integer.toUnsignedString(metadataLength) + " bytes at offset " + (position - start)
            + ", " + (end - position) + " bytes left");
      }
      Message message = message(in, position, metadataLength, index);
      byte header = message.headerType();
      long bodyLength = message.bodyLength();
      position += metadataLength;
      if (bodyLength < 0 || bodyLength > end - position) {
        throw new CodecException("truncated Arrow IPC stream: message " + index + " body of "
            + bodyLength + " bytes at offset " + (position - start) + ", " + (end - position) + " bytes left");
      }
      position += (int) bodyLength;
      if (header == MessageHeader.RecordBatch) {
        layout = checkRecordBatch(message, metadataLength, bodyLength, index);
      }
      if (index == 0 && header != MessageHeader.Schema) {
        throw new CodecException("Arrow IPC stream starts with a " + headerName(header) + " message, not a Schema");
      }
      if (index > 0) {
        if (header != MessageHeader.RecordBatch) {
          throw new CodecException("unexpected " + headerName(header) + " message " + index
              + " in Arrow IPC stream; only one record batch is allowed after the schema");
        }
        batches++;
      }
    }
    if (batches != 1) {
      throw new CodecException("Arrow IPC stream holds " + batches + " record batches, expected exactly 1");
    }
    return new Stream(position - start, layout.rows, layout.nodeLengths, layout.nullCounts, layout.bufferLengths);
  }

  private static Message message(ByteBuf in, int position, int length, int index) {
    try {
      Message message = Message.getRootAsMessage(in.nioBuffer(position, length).order(ByteOrder.LITTLE_ENDIAN));
      message.headerType();
      message.bodyLength();
      return message;
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new CodecException("malformed metadata of Arrow IPC message " + index, e);
    }
  }

  /**
   * Checks what Arrow would otherwise trip over after allocating the body, leaking it: buffers
   * outside the body, negative lengths or counts, compression.
   */
  private static Stream checkRecordBatch(Message message, int metadataLength, long bodyLength, int index) {
    try {
      RecordBatch batch = (RecordBatch) message.header(new RecordBatch());
      if (batch == null) {
        throw new CodecException("Arrow IPC message " + index + " has no record batch header");
      }
      if (batch.length() < 0 || batch.length() > Integer.MAX_VALUE) {
        throw new CodecException("record batch of Arrow IPC message " + index + " has " + batch.length() + " rows");
      }
      if (batch.compression() != null || batch.variadicBufferCountsLength() != 0) {
        throw new CodecException("record batch of Arrow IPC message " + index
            + " is compressed or has variadic buffers, which this format does not use");
      }
      // Nodes and buffers are 16-byte structs inside the metadata, which bounds their counts.
      int maxCount = metadataLength / 16;
      if (batch.nodesLength() < 0 || batch.nodesLength() > maxCount
          || batch.buffersLength() < 0 || batch.buffersLength() > maxCount) {
        throw new CodecException("record batch of Arrow IPC message " + index + " claims " + batch.nodesLength()
            + " nodes and " + batch.buffersLength() + " buffers in " + metadataLength + " bytes of metadata");
      }
      FieldNode node = new FieldNode();
      long[] nodeLengths = new long[batch.nodesLength()];
      long[] nullCounts = new long[batch.nodesLength()];
      for (int i = 0; i < batch.nodesLength(); i++) {
        batch.nodes(node, i);
        nodeLengths[i] = node.length();
        nullCounts[i] = node.nullCount();
        if (node.length() < 0 || node.length() > batch.length() || node.nullCount() < 0
            || node.nullCount() > node.length()) {
          throw new CodecException("column " + i + " of Arrow IPC message " + index + " has " + node.length()
              + " values and " + node.nullCount() + " nulls in a batch of " + batch.length() + " rows");
        }
      }
      Buffer buffer = new Buffer();
      long[] bufferLengths = new long[batch.buffersLength()];
      for (int i = 0; i < batch.buffersLength(); i++) {
        batch.buffers(buffer, i);
        bufferLengths[i] = buffer.length();
        if (buffer.offset() < 0 || buffer.length() < 0 || buffer.offset() > bodyLength - buffer.length()) {
          throw new CodecException("buffer " + i + " of Arrow IPC message " + index + " at offset " + buffer.offset()
              + " of " + buffer.length() + " bytes lies outside its body of " + bodyLength + " bytes");
        }
      }
      return new Stream(0, batch.length(), nodeLengths, nullCounts, bufferLengths);
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new CodecException("malformed record batch metadata in Arrow IPC message " + index, e);
    }
  }

  private static String headerName(byte header) {
    return header >= 0 && header < MessageHeader.names.length ? MessageHeader.name(header) : "unknown (" + header + ")";
  }
}
