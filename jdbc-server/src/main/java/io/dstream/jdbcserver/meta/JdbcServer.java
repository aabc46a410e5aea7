package io.dstream.jdbcserver.meta;

import static java.util.Objects.requireNonNull;

import io.dstream.jdbcserver.engine.SqlEngine;
import java.util.List;
import org.apache.calcite.avatica.remote.Driver;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.server.HttpServer;
import org.apache.calcite.avatica.server.ServerCustomizer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Avatica HTTP server (protobuf serialization) that serves a {@link SqlEngine} to the remote
 * JDBC driver at {@link #url()}. It binds only the given host.
 *
 * <p>Owns its threads and socket, and the {@link StreamMeta}, but not the engine: {@link #close()}
 * stops the server and the push queries of open statements, and leaves the engine running.
 */
public final class JdbcServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcServer.class);

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8765;

  private final String host;
  private final StreamMeta meta;
  private final HttpServer server;
  private final int port;
  private boolean closed;

  private JdbcServer(String host, StreamMeta meta, HttpServer server) {
    this.host = host;
    this.meta = meta;
    this.server = server;
    this.port = server.getPort();
  }

  /**
   * Starts a server for {@code engine} on {@code host}:{@code port}; port 0 picks a free port.
   *
   * @throws RuntimeException if the port cannot be bound (its cause is a {@code BindException})
   */
  public static JdbcServer start(SqlEngine engine, String host, int port) {
    requireNonNull(engine, "engine is null");
    requireNonNull(host, "host is null");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    StreamMeta meta = new StreamMeta(engine);
    ServerCustomizer<Server> bindHost =
        jetty -> {
          for (Connector connector : jetty.getConnectors()) {
            if (connector instanceof ServerConnector serverConnector) {
              serverConnector.setHost(host);
            }
          }
        };
    HttpServer server =
        new HttpServer.Builder<Server>()
            .withHandler(new LocalService(meta), Driver.Serialization.PROTOBUF)
            .withPort(port)
            .withServerCustomizers(List.of(bindHost), Server.class)
            .build();
    try {
      server.start();
    } catch (RuntimeException e) {
      meta.close();
      stopQuietly(server);
      throw e;
    }
    JdbcServer result = new JdbcServer(host, meta, server);
    LOG.info("JDBC server listening on {}", result.url());
    return result;
  }

  /** Starts a server on {@value #DEFAULT_HOST} and the given port. */
  public static JdbcServer start(SqlEngine engine, int port) {
    return start(engine, DEFAULT_HOST, port);
  }

  public String host() {
    return host;
  }

  /** The bound port, also when started with port 0. */
  public int port() {
    return port;
  }

  /** The JDBC URL for the Avatica remote driver. */
  public String url() {
    return url(host, port());
  }

  public static String url(String host, int port) {
    return "jdbc:avatica:remote:url=http://" + host + ":" + port + ";serialization=protobuf";
  }

  /** The Meta serving this server's requests. */
  public StreamMeta meta() {
    return meta;
  }

  /** Stops accepting requests and closes open statements; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Close the statements first, so that fetches waiting on push streams return promptly.
    meta.close();
    stopQuietly(server);
    meta.close();
    LOG.info("JDBC server on {}:{} stopped", host, port);
  }

  private static void stopQuietly(HttpServer server) {
    try {
      server.stop();
    } catch (RuntimeException e) {
      LOG.warn("Error while stopping the JDBC server", e);
    }
  }
}
