package io.dstream.executor.source;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.RowType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP receiver of one 'socket' stream: accepts any number of connections, each sending
 * newline-delimited csv records in the stream's column order, and appends the parsed rows to a
 * {@link MemoryLog} that every query reading the stream shares. Rows of one read from a
 * connection are appended together, in the order they were sent.
 *
 * <p>A record that does not parse is, with {@code skip}, dropped and counted ({@link
 * #skippedLines}, logged once per connection); otherwise the receiver writes {@code ERROR line N:
 * reason} back and closes that connection, keeping the rows before it. Other connections go on.
 *
 * <p>Owns a server socket and one daemon thread per connection plus an accepting thread, all
 * released by {@link #close}. Thread-safe.
 */
public final class SocketReceiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SocketReceiver.class);
  private static final int READ_BYTES = 64 * 1024;

  private final String stream;
  private final RowType rowType;
  private final boolean skip;
  private final MemoryLog log;
  private final ServerSocket server;
  private final Thread acceptor;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicInteger connectionCount = new AtomicInteger();
  private volatile boolean closed;

  private SocketReceiver(String stream, RowType rowType, boolean skip, ServerSocket server) {
    this.stream = requireNonNull(stream, "stream is null");
    this.rowType = requireNonNull(rowType, "rowType is null");
    this.skip = skip;
    this.server = requireNonNull(server, "server is null");
    this.log = new MemoryLog(stream);
    log.bind(rowType);
    this.acceptor = new Thread(this::accept, "socket-receiver-" + stream);
    acceptor.setDaemon(true);
  }

  /**
   * Binds {@code host:port} (port 0: any free port, see {@link #port}) and starts accepting.
   *
   * @throws EngineException SOURCE_ERROR when the address cannot be bound
   */
  public static SocketReceiver start(String stream, RowType rowType, String host, int port, boolean skip) {
    ServerSocket server;
    try {
      server = new ServerSocket();
      try {
        server.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      } catch (IOException e) {
        server.close();
        throw e;
      }
    } catch (IOException e) {
      throw new EngineException(ErrorCode.SOURCE_ERROR, "Socket stream " + stream + " cannot listen on "
          + host + ":" + port + ": " + e.getMessage(), e);
    }
    SocketReceiver receiver = new SocketReceiver(stream, rowType, skip, server);
    receiver.acceptor.start();
    LOG.info("Socket stream {} listening on {}:{}", stream, host, server.getLocalPort());
    return receiver;
  }

  /** The port actually bound. */
  public int port() {
    return server.getLocalPort();
  }

  /** The rows received so far; sources read it from its end ("latest"). */
  public MemoryLog log() {
    return log;
  }

  /** Records dropped because they did not parse (policy {@code skip}). */
  public long skippedLines() {
    return skipped.get();
  }

  private void accept() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("Socket stream {} stopped accepting connections: {}", stream, e.getMessage());
        }
        return;
      }
      connections.add(socket);
      if (closed) {
        closeQuietly(socket);
        return;
      }
      Thread reader = new Thread(() -> receive(socket),
          "socket-receiver-" + stream + "-" + connectionCount.incrementAndGet());
      reader.setDaemon(true);
      reader.start();
    }
  }

  /** Reads one connection to its end; a connection boundary, so it catches everything. */
  private void receive(Socket socket) {
    String peer = String.valueOf(socket.getRemoteSocketAddress());
    try (socket; InputStream in = socket.getInputStream()) {
      Connection connection = new Connection(peer);
      byte[] buf = new byte[READ_BYTES];
      int length = 0;
      while (true) {
        if (length == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2); // one record longer than the buffer
        }
        int n = in.read(buf, length, buf.length - length);
        if (n < 0) {
          if (length > 0) {
            connection.parse(buf, length, socket); // a last record without a line break
          }
          return;
        }
        int scanFrom = length;
        length += n;
        int complete = lastLineEnd(buf, scanFrom, length);
        if (complete == 0) {
          continue;
        }
        if (!connection.parse(buf, complete, socket)) {
          return;
        }
        System.arraycopy(buf, complete, buf, 0, length - complete);
        length -= complete;
      }
    } catch (SocketException e) {
      if (!closed) {
        LOG.debug("Connection {} to socket stream {} ended: {}", peer, stream, e.getMessage());
      }
    } catch (Exception e) {
      LOG.warn("Connection {} to socket stream {} failed", peer, stream, e);
    } finally {
      connections.remove(socket);
    }
  }

  /**
   * The offset after the last line break in {@code [from, to)}, or 0 if none; bytes before
   * {@code from} are the remnant of earlier reads and hold no line break.
   */
  private static int lastLineEnd(byte[] buf, int from, int to) {
    for (int p = to - 1; p >= from; p--) {
      if (buf[p] == '\n') {
        return p + 1;
      }
    }
    return 0;
  }

  /** The parsing state of one connection. */
  private final class Connection {
    private final String peer;
    private final CsvRowParser parser = new CsvRowParser(rowType);
    private long line = 1;
    private boolean warned;

    Connection(String peer) {
      this.peer = peer;
    }

    /**
     * Parses the records in {@code buf[0, limit)} and appends them; false when a bad record
     * closed the connection (policy fail).
     */
    boolean parse(byte[] buf, int limit, Socket socket) throws IOException {
      List<Object[]> rows = new ArrayList<>();
      int pos = 0;
      while (pos < limit) {
        try {
          if (parser.tokenize(buf, pos, limit)) {
            rows.add(parser.values());
          }
        } catch (CsvRowParser.BadRowException e) {
          if (!skip) {
            log.append(rows);
            reject(socket, e.getMessage());
            return false;
          }
          skipped.incrementAndGet();
          if (!warned) {
            warned = true;
            LOG.warn("Socket stream {} skips unparsable line {} from {} (further ones on this connection"
                + " are counted, not logged): {}", stream, line, peer, e.getMessage());
          }
        }
        pos = parser.next();
        line++;
      }
      if (!rows.isEmpty()) {
        log.append(rows);
      }
      return true;
    }

    private void reject(Socket socket, String reason) throws IOException {
      String message = "ERROR line " + line + ": " + reason + "\n";
      LOG.warn("Socket stream {} closes the connection from {}: cannot parse line {}: {}", stream, peer,
          line, reason);
      OutputStream out = socket.getOutputStream();
      out.write(message.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing: nothing left to do with this connection.
    }
  }

  /** Stops accepting, closes every connection and waits for the accepting thread. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("Closing the server socket of stream {}: {}", stream, e.getMessage());
    }
    connections.forEach(SocketReceiver::closeQuietly);
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("Socket stream {} stopped listening", stream);
  }
}
