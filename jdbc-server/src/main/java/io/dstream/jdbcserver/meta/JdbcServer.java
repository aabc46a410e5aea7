package io.dstream.jdbcserver.meta;

import static java.util.Objects.requireNonNull;

import io.dstream.jdbcserver.client.DStreamDriver;
import io.dstream.jdbcserver.engine.SqlEngine;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.calcite.avatica.remote.Driver;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.server.HttpServer;
import org.apache.calcite.avatica.server.ServerCustomizer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Avatica HTTP server (protobuf serialization) that serves a {@link SqlEngine} to the remote
 * JDBC driver at {@link #url()}. It binds only the given host. With a {@link ServerSecurity} it
 * asks clients for a user and password (HTTP BASIC) and serves HTTPS.
 *
 * <p>Owns its threads and socket, and the {@link StreamMeta}, but not the engine: {@link #close()}
 * stops the server and the push queries of open statements, and leaves the engine running.
 */
public final class JdbcServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcServer.class);

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8765;

  /** Any authenticated user (Jetty's "**" role): the roles in the users file are not checked. */
  private static final String[] ANY_AUTHENTICATED_USER = {"**"};

  private final String host;
  private final ServerSecurity security;
  private final StreamMeta meta;
  private final HttpServer server;
  private final ScheduledExecutorService sweeper;
  private final int port;
  private boolean closed;

  private JdbcServer(String host, ServerSecurity security, StreamMeta meta, HttpServer server,
      ScheduledExecutorService sweeper) {
    this.host = host;
    this.security = security;
    this.meta = meta;
    this.server = server;
    this.sweeper = sweeper;
    this.port = server.getPort();
  }

  /**
   * Starts a server for {@code engine} on {@code host}:{@code port}; port 0 picks a free port.
   *
   * @throws RuntimeException if the port cannot be bound (its cause is a {@code BindException})
   */
  public static JdbcServer start(SqlEngine engine, String host, int port) {
    return start(engine, host, port, ServerSecurity.NONE);
  }

  /**
   * Starts a server for {@code engine} on {@code host}:{@code port} with the given users and TLS
   * keystore; port 0 picks a free port.
   *
   * @throws IllegalArgumentException if the users file or keystore cannot be read
   * @throws RuntimeException if the port cannot be bound (its cause is a {@code BindException}) or
   *     the keystore cannot be loaded
   */
  public static JdbcServer start(SqlEngine engine, String host, int port, ServerSecurity security) {
    return start(engine, host, port, security, StreamMeta.DEFAULT_IDLE_TIMEOUT_MILLIS);
  }

  /**
   * Starts a server as {@link #start(SqlEngine, String, int, ServerSecurity)} does, which closes
   * connections (their statements and push queries) that made no request for
   * {@code idleTimeoutMillis}: clients that went away without closing.
   */
  public static JdbcServer start(
      SqlEngine engine, String host, int port, ServerSecurity security, long idleTimeoutMillis) {
    return start(engine, host, port, security, idleTimeoutMillis, StreamMeta::monotonicMillis);
  }

  /** As above, with the clock the idle timeout is measured on (tests use a manual one). */
  static JdbcServer start(SqlEngine engine, String host, int port, ServerSecurity security,
      long idleTimeoutMillis, LongSupplier clock) {
    requireNonNull(engine, "engine is null");
    requireNonNull(host, "host is null");
    requireNonNull(security, "security is null");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    if (security.authenticates() && !Files.isReadable(security.usersFile())) {
      throw new IllegalArgumentException("users file " + security.usersFile() + " does not exist or is not readable");
    }
    if (security.usesTls() && !Files.isReadable(security.tls().keystore())) {
      throw new IllegalArgumentException(
          "TLS keystore " + security.tls().keystore() + " does not exist or is not readable");
    }
    StreamMeta meta = new StreamMeta(engine, idleTimeoutMillis, clock);
    ServerCustomizer<Server> bindHost =
        jetty -> {
          for (Connector connector : jetty.getConnectors()) {
            if (connector instanceof ServerConnector serverConnector) {
              serverConnector.setHost(host);
              SslConnectionFactory ssl = serverConnector.getConnectionFactory(SslConnectionFactory.class);
              if (ssl != null) {
                // Plain HTTP on the TLS port gets an error answer instead of a silent close.
                serverConnector.addFirstConnectionFactory(new PlainHttpRefusal(ssl));
              }
            }
          }
        };
    HttpServer.Builder<Server> builder =
        new HttpServer.Builder<Server>()
            .withHandler(new LocalService(meta), Driver.Serialization.PROTOBUF)
            .withPort(port)
            .withServerCustomizers(List.of(bindHost), Server.class);
    if (security.authenticates()) {
      builder.withBasicAuthentication(security.usersFile().toAbsolutePath().toString(), ANY_AUTHENTICATED_USER);
    }
    if (security.usesTls()) {
      // The server does not ask for client certificates; Avatica wants a truststore all the same.
      var keystore = security.tls().keystore().toAbsolutePath().toFile();
      builder.withTLS(keystore, security.tls().password(), keystore, security.tls().password());
    }
    HttpServer server;
    try {
      server = builder.build();
    } catch (RuntimeException e) {
      meta.close();
      throw e;
    }
    try {
      server.start();
    } catch (RuntimeException e) {
      meta.close();
      stopQuietly(server);
      throw e;
    }
    ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "jdbc-idle-sweeper-" + server.getPort());
      thread.setDaemon(true);
      return thread;
    });
    long period = Math.max(100, Math.min(30_000, idleTimeoutMillis / 4));
    sweeper.scheduleWithFixedDelay(() -> {
      try {
        meta.sweep();
      } catch (RuntimeException e) {
        LOG.warn("Closing idle JDBC connections failed", e);
      }
    }, period, period, TimeUnit.MILLISECONDS);
    JdbcServer result = new JdbcServer(host, security, meta, server, sweeper);
    LOG.info("JDBC server listening on {} (Avatica URL {}; {})", result.driverUrl(), result.url(),
        result.describeAccess());
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

  /** The security this server was started with. */
  public ServerSecurity security() {
    return security;
  }

  /**
   * The JDBC URL for the Avatica remote driver: https when TLS is on. It holds no credentials or
   * truststore; see {@link #url(String, int, boolean)}.
   */
  public String url() {
    return url(host, port(), security.usesTls());
  }

  public static String url(String host, int port) {
    return url(host, port, false);
  }

  public static String url(String host, int port, boolean tls) {
    return "jdbc:avatica:remote:url=" + (tls ? "https" : "http") + "://" + host + ":" + port + ";serialization=protobuf";
  }

  /**
   * The JDBC URL for {@link DStreamDriver} ({@code jdbc:dstream:...}), which adds primary keys,
   * functions and the product's name to what the Avatica remote driver offers; same address and
   * properties as {@link #url()}.
   */
  public String driverUrl() {
    return DStreamDriver.url(host, port(), security.usesTls());
  }

  /**
   * A phrase for logs on who may connect, such as "open to anyone who can reach 127.0.0.1" or
   * "users from /etc/dstream/users, TLS".
   */
  public String describeAccess() {
    String who = security.authenticates()
        ? "users from " + security.usersFile()
        : "no authentication: open to anyone who can reach " + host;
    return who + (security.usesTls() ? ", TLS" : ", plain HTTP");
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
    sweeper.shutdownNow();
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
