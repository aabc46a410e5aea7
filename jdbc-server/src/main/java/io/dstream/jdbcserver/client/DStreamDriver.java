package io.dstream.jdbcserver.client;

import io.dstream.jdbcserver.meta.StreamMeta;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.BuiltInConnectionProperty;
import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.Driver;

/**
 * The DStream SQL JDBC driver: Avatica's remote driver under the URL prefix
 * {@value #CONNECT_STRING_PREFIX}, with the same properties, for example
 * {@code jdbc:dstream:url=http://127.0.0.1:8765;serialization=protobuf}. It is registered through
 * {@code META-INF/services/java.sql.Driver}, beside Avatica's own {@code jdbc:avatica:remote:}
 * driver, which keeps working.
 *
 * <p>What it adds over the plain remote driver:
 * <ul>
 *   <li>DatabaseMetaData names the product {@value ProductVersion#PRODUCT_NAME} with the
 *       project's version, and the driver {@value #DRIVER_NAME} (Avatica's says "Avatica").
 *   <li>{@code getPrimaryKeys} (a materialized view's GROUP BY keys) and {@code getFunctions}
 *       (built-ins and CREATE FUNCTION functions) are answered from the server; Avatica's
 *       protocol has no request for them, so the plain driver returns them empty (see
 *       {@link DStreamMeta}).
 *   <li>Rejected credentials fail with a clear SQLException ({@link DStreamHttpClient}) unless the
 *       URL names another {@code httpclient_impl}; so does an {@code http://} URL of a port that
 *       does not answer plain HTTP (a TLS port), instead of retrying forever.
 *   <li>A prepare that the server rejects fails at once with the server's reason in the message
 *       ({@link DStreamConnection}; the plain driver's message is "while preparing SQL" alone, so
 *       the server defers such errors to execute for it, see
 *       {@link StreamMeta#STRICT_PREPARE_PROPERTY}).
 *   <li>An error of a later fetch (a push query stopped with SQLSTATE 53000, ...) comes out of
 *       {@code ResultSet.next()} as a {@code SQLException} ({@link DStreamResultSet}), not as an
 *       unchecked exception; {@code allTablesAreSelectable} is false.
 * </ul>
 */
public class DStreamDriver extends Driver {
  public static final String CONNECT_STRING_PREFIX = "jdbc:dstream:";
  public static final String DRIVER_NAME = "DStream SQL JDBC Driver";

  static {
    new DStreamDriver().register();
  }

  public DStreamDriver() {
    super();
  }

  /** The URL of a server at {@code host:port}, https when it uses TLS. */
  public static String url(String host, int port, boolean tls) {
    return CONNECT_STRING_PREFIX + "url=" + (tls ? "https" : "http") + "://" + host + ":" + port
        + ";serialization=protobuf";
  }

  @Override
  protected String getConnectStringPrefix() {
    return CONNECT_STRING_PREFIX;
  }

  @Override
  protected DriverVersion createDriverVersion() {
    String version = ProductVersion.version();
    int major = ProductVersion.major();
    int minor = ProductVersion.minor();
    return new DriverVersion(DRIVER_NAME, version, ProductVersion.PRODUCT_NAME, version, false, major, minor, major,
        minor);
  }

  @Override
  protected AvaticaFactory createFactory() {
    return new DStreamFactory(super.createFactory());
  }

  @Override
  public Meta createMeta(AvaticaConnection connection) {
    return DStreamMeta.wrap(super.createMeta(connection), connection);
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    // Properties given in the URL override these, so a URL naming httpclient_impl keeps its own.
    Properties withDefaults = new Properties();
    if (info != null) {
      for (String name : info.stringPropertyNames()) {
        withDefaults.setProperty(name, info.getProperty(name));
      }
    }
    String httpClient = BuiltInConnectionProperty.HTTP_CLIENT_IMPL.camelName();
    if (!withDefaults.containsKey(httpClient)) {
      withDefaults.setProperty(httpClient, DStreamHttpClient.class.getName());
    }
    // The server then fails a prepare at once, and DStreamConnection reports its reason.
    withDefaults.putIfAbsent(StreamMeta.STRICT_PREPARE_PROPERTY, "true");
    try {
      return super.connect(url, withDefaults);
    } catch (AvaticaClientRuntimeException e) {
      // The server refused to open the connection (Avatica lets that escape unchecked).
      throw ClientExceptions.toSql("", e);
    } catch (RuntimeException e) {
      // Transport failures, TLS ones among them, also escape Avatica unchecked.
      throw connectFailure(url, e);
    }
  }

  /** A failure to reach the server as a SQLException (SQLSTATE 08001) that says what to check. */
  private static SQLException connectFailure(String url, RuntimeException e) {
    String message = null;
    for (Throwable t = e; t != null && message == null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof javax.net.ssl.SSLHandshakeException || String.valueOf(t.getMessage()).contains("PKIX")) {
        message = "the TLS handshake failed: the server's certificate is not trusted (" + t.getMessage()
            + "); give its truststore: truststore=FILE;truststore_password=PW in the URL"
            + " (./dstream sql: --truststore FILE --truststore-password PW)";
      } else if (String.valueOf(t.getMessage()).contains("Unsupported or unrecognized SSL message")) {
        message = "the server does not speak TLS on this port: use an http:// URL (" + t.getMessage() + ")";
      }
    }
    if (message == null) {
      message = "cannot reach the server: " + e.getMessage();
    }
    return new SQLException("Cannot connect to " + url + ": " + message, "08001", e);
  }
}
