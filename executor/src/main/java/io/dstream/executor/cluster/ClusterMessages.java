package io.dstream.executor.cluster;

import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.codec.CodecException;
import io.dstream.executor.codec.PlanCodec;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.source.SourceDescriptor;
import io.dstream.executor.type.RowType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests driver and workers exchange inside REQUEST frames: one operation byte, then the
 * operation's body, written field by field (plans and tasks with {@link PlanCodec}, blocks as
 * Arrow IPC). ERROR replies carry an error code name and a message.
 */
final class ClusterMessages {
  static final byte REGISTER = 1;
  static final byte INSTALL = 2;
  static final byte UNINSTALL = 3;
  static final byte LAUNCH = 4;
  static final byte FETCH = 5;
  static final byte REMOVE = 6;
  /** Drop a copy of a task that lost to a speculative copy; one way, no reply. */
  static final byte CANCEL = 7;
  /** Write a state block to a checkpoint file; the reply comes once the file is durable. */
  static final byte CHECKPOINT = 8;
  /** Load a checkpoint file into the worker's block store as a given block. */
  static final byte RESTORE = 9;
  /** Keep a copy of a block of input that cannot be replayed; the reply comes once it is stored. */
  static final byte STORE = 10;

  private ClusterMessages() {}

  static byte[] message(byte op, byte[] body) {
    byte[] out = new byte[body.length + 1];
    out[0] = op;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  static byte op(byte[] payload) {
    if (payload.length == 0) {
      throw new CodecException("empty cluster message");
    }
    return payload[0];
  }

  static byte[] body(byte[] payload) {
    return Arrays.copyOfRange(payload, 1, payload.length);
  }

  static byte[] register(int cores) {
    return message(REGISTER, new byte[] {(byte) (cores >>> 24), (byte) (cores >>> 16), (byte) (cores >>> 8), (byte) cores});
  }

  static int cores(byte[] body) {
    if (body.length != 4) {
      throw new CodecException("REGISTER expects 4 bytes, got " + body.length);
    }
    return ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff);
  }

  /** The query's DAG and how a worker creates its reader of each input stream, in branch order. */
  record Install(QueryDag dag, List<SourceDescriptor> sources) {
    Install {
      sources = List.copyOf(sources);
    }

    /** The descriptor of the first (or only) input. */
    SourceDescriptor source() {
      return sources.get(0);
    }
  }

  static byte[] install(QueryDag dag, SourceDescriptor source) {
    return install(dag, List.of(source));
  }

  static byte[] install(QueryDag dag, List<SourceDescriptor> sources) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeBytes(out, PlanCodec.encode(dag));
      out.writeInt(sources.size());
      for (SourceDescriptor source : sources) {
        out.writeUTF(source.stream());
        out.writeUTF(source.connector());
        writeBytes(out, PlanCodec.encode(source.rowType()));
        out.writeInt(source.options().size());
        for (Map.Entry<String, String> e : source.options().entrySet()) {
          out.writeUTF(e.getKey());
          out.writeUTF(e.getValue());
        }
      }
    } catch (IOException e) {
      throw new CodecException("cannot encode INSTALL", e);
    }
    return message(INSTALL, bytes.toByteArray());
  }

  static Install install(byte[] body) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      QueryDag dag = PlanCodec.decodeQueryDag(readBytes(in));
      int count = in.readInt();
      if (count != dag.branches().size()) {
        throw new CodecException("INSTALL has " + count + " sources for " + dag.branches().size() + " inputs");
      }
      List<SourceDescriptor> sources = new ArrayList<>(count);
      for (int s = 0; s < count; s++) {
        String stream = in.readUTF();
        String connector = in.readUTF();
        var rowType = PlanCodec.decodeRowType(readBytes(in));
        int n = in.readInt();
        if (n < 0 || n > 10_000) {
          throw new CodecException("bad option count " + n);
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          options.put(in.readUTF(), in.readUTF());
        }
        sources.add(new SourceDescriptor(stream, connector, rowType, options));
      }
      if (in.available() != 0) {
        throw new CodecException("trailing bytes in INSTALL");
      }
      return new Install(dag, sources);
    } catch (IOException e) {
      throw new CodecException("truncated INSTALL", e);
    }
  }

  /**
   * A block, its row type and a checkpoint file: the body of CHECKPOINT (write the block to the
   * file) and RESTORE (load the file as the block). The path is the driver's; in a cluster of
   * several hosts the checkpoint directory must be mounted at the same path on every host.
   */
  record BlockFile(BlockLocation location, RowType rowType, Path file) {}

  static byte[] blockFile(byte op, BlockLocation location, RowType rowType, Path file) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeBytes(out, PlanCodec.encode(location));
      writeBytes(out, PlanCodec.encode(rowType));
      out.writeUTF(file.toAbsolutePath().toString());
    } catch (IOException e) {
      throw new CodecException("cannot encode a block file message", e);
    }
    return message(op, bytes.toByteArray());
  }

  static BlockFile blockFile(byte[] body) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      BlockLocation location = PlanCodec.decodeBlockLocation(readBytes(in));
      RowType rowType = PlanCodec.decodeRowType(readBytes(in));
      Path file = Path.of(in.readUTF());
      if (in.available() != 0) {
        throw new CodecException("trailing bytes in a block file message");
      }
      if (!file.isAbsolute()) {
        throw new CodecException("checkpoint file " + file + " is not an absolute path");
      }
      return new BlockFile(location, rowType, file);
    } catch (IOException | InvalidPathException e) {
      throw new CodecException("malformed block file message: " + e.getMessage(), e);
    }
  }

  /** The body of STORE: where the block goes, its row type and its rows as Arrow IPC. */
  record Store(BlockLocation location, RowType rowType, byte[] data) {}

  static byte[] store(BlockLocation location, RowType rowType, byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeBytes(out, PlanCodec.encode(location));
      writeBytes(out, PlanCodec.encode(rowType));
      writeBytes(out, data);
    } catch (IOException e) {
      throw new CodecException("cannot encode STORE", e);
    }
    return message(STORE, bytes.toByteArray());
  }

  static Store store(byte[] body) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      BlockLocation location = PlanCodec.decodeBlockLocation(readBytes(in));
      RowType rowType = PlanCodec.decodeRowType(readBytes(in));
      byte[] data = readBytes(in);
      if (in.available() != 0) {
        throw new CodecException("trailing bytes in STORE");
      }
      return new Store(location, rowType, data);
    } catch (IOException e) {
      throw new CodecException("truncated STORE", e);
    }
  }

  static byte[] text(byte op, String value) {
    return message(op, value.getBytes(StandardCharsets.UTF_8));
  }

  static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** An ERROR reply's payload: the code's name, a newline, the message. */
  static byte[] error(Throwable t) {
    ErrorCode code = t instanceof EngineException e ? e.code() : ErrorCode.INTERNAL_ERROR;
    String message = t.getMessage() == null ? t.toString() : t.getMessage();
    return (code.name() + "\n" + message).getBytes(StandardCharsets.UTF_8);
  }

  static EngineException error(byte[] payload, String context) {
    String text = new String(payload, StandardCharsets.UTF_8);
    int nl = text.indexOf('\n');
    ErrorCode code = ErrorCode.INTERNAL_ERROR;
    String message = text;
    if (nl > 0) {
      try {
        code = ErrorCode.valueOf(text.substring(0, nl));
        message = text.substring(nl + 1);
      } catch (IllegalArgumentException e) {
        message = context + ": " + text;
      }
    }
    return new EngineException(code, message);
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new CodecException("bad length " + n);
    }
    return in.readNBytes(n);
  }
}
