package io.dstream.jdbcserver.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.jdbcserver.client.DStreamHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;

/** Users (HTTP BASIC) and TLS through the Avatica remote driver. */
@Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
class JdbcServerSecurityTest {
  @TempDir
  Path temp;

  private static final String CLEAR_ERRORS = ";httpclient_impl=" + DStreamHttpClient.class.getName();

  private FakeEngine engine;
  private JdbcServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private JdbcServer start(ServerSecurity security) {
    engine = new FakeEngine();
    server = JdbcServer.start(engine, "127.0.0.1", 0, security);
    return server;
  }

  private Path usersFile() throws Exception {
    Path users = temp.resolve("users.properties");
    Files.writeString(users, "# DStream SQL users\nalice: secret,dstream\nbob: hunter2\n");
    return users;
  }

  @Test
  void withoutCredentialsTheConnectionIsRejected() throws Exception {
    start(new ServerSecurity(usersFile(), null));
    assertThatThrownBy(() -> showStreams(server.url() + CLEAR_ERRORS))
        .isInstanceOf(SQLException.class)
        .hasMessage("authentication failed (HTTP 401): check user and password")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"));
    assertThat(engine.executed).isEmpty();
  }

  @Test
  void aWrongPasswordOrUnknownUserIsRejected() throws Exception {
    start(new ServerSecurity(usersFile(), null));
    for (String credentials : List.of("avatica_user=alice;avatica_password=wrong", "avatica_user=carol;avatica_password=secret")) {
      assertThatThrownBy(() -> showStreams(server.url() + ";authentication=BASIC;" + credentials + CLEAR_ERRORS))
          .isInstanceOf(SQLException.class)
          .hasMessage(DStreamHttpClient.AUTHENTICATION_FAILED);
    }
    assertThat(engine.executed).isEmpty();
  }

  @Test
  void theStockHttpClientAlsoRejectsWrongCredentialsNamingHttp401() throws Exception {
    start(new ServerSecurity(usersFile(), null));
    assertThatThrownBy(() -> showStreams(server.url() + ";authentication=BASIC;avatica_user=alice;avatica_password=wrong"))
        .hasMessageContaining("HTTP/401");
    assertThat(engine.executed).isEmpty();
  }

  @Test
  void theDStreamDriverRejectsWrongCredentialsClearlyByDefault() throws Exception {
    start(new ServerSecurity(usersFile(), null));
    assertThatThrownBy(() -> showStreams(server.driverUrl() + ";authentication=BASIC;avatica_user=alice;avatica_password=wrong"))
        .isInstanceOf(SQLException.class)
        .hasMessage(DStreamHttpClient.AUTHENTICATION_FAILED);
    // A client named in the URL wins: here the stock one, which names the HTTP status.
    assertThatThrownBy(() -> showStreams(server.driverUrl() + ";authentication=BASIC;avatica_user=alice"
        + ";avatica_password=wrong;httpclient_impl=org.apache.calcite.avatica.remote.AvaticaCommonsHttpClientImpl"))
        .hasMessageContaining("HTTP/401");
    assertThat(showStreams(server.driverUrl() + ";authentication=BASIC;avatica_user=alice;avatica_password=secret"))
        .containsExactly("bids|STREAM", "prices|TABLE", "top_bids|VIEW");
    assertThat(engine.executed).containsExactly("SHOW STREAMS");
  }

  @Test
  void theRightCredentialsRunQueries() throws Exception {
    start(new ServerSecurity(usersFile(), null));
    String url = server.url() + ";authentication=BASIC;avatica_user=alice;avatica_password=secret" + CLEAR_ERRORS;
    try (Connection connection = DriverManager.getConnection(url)) {
      assertThat(showStreams(connection)).containsExactly("bids|STREAM", "prices|TABLE", "top_bids|VIEW");
      engine.pushRows.put(bid(1));
      engine.pushRows.put(bid(2));
      engine.pushRows.put(FakeEngine.END);
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SELECT STREAM * FROM bids")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("bids")).isEqualTo(1);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("bids")).isEqualTo(2);
        assertThat(rs.next()).isFalse();
      }
    }
    // A user without a role may connect too.
    String bob = server.url() + ";authentication=BASIC;avatica_user=bob;avatica_password=hunter2";
    try (Connection connection = DriverManager.getConnection(bob)) {
      assertThat(showStreams(connection)).hasSize(3);
    }
  }

  @Test
  void tlsServesHttpsToAClientTrustingItsCertificate() throws Exception {
    Path keystore = generateKeystore(temp.resolve("server.p12"), "storepass");
    start(new ServerSecurity(usersFile(), new ServerSecurity.Tls(keystore, "storepass")));
    assertThat(server.url()).startsWith("jdbc:avatica:remote:url=https://127.0.0.1:");
    String url = server.url() + ";truststore=" + keystore + ";truststore_password=storepass"
        + ";authentication=BASIC;avatica_user=alice;avatica_password=secret" + CLEAR_ERRORS;
    assertThat(showStreams(url)).hasSize(3);
    // Over TLS a wrong password is still rejected.
    assertThatThrownBy(() -> showStreams(url.replace("avatica_password=secret", "avatica_password=nope")))
        .hasMessage(DStreamHttpClient.AUTHENTICATION_FAILED);
    // A client that does not trust the certificate cannot connect.
    assertThatThrownBy(() -> showStreams(server.url() + ";authentication=BASIC;avatica_user=alice;avatica_password=secret"))
        .hasStackTraceContaining("SSL");
  }

  @Test
  void anHttpUrlOfTheTlsPortFailsAtOnceWithAClearErrorOnBothDrivers() throws Exception {
    Path keystore = generateKeystore(temp.resolve("server.p12"), "storepass");
    start(new ServerSecurity(null, new ServerSecurity.Tls(keystore, "storepass")));
    // Jetty used to close such connections silently, and Avatica's HTTP client retried forever.
    String http = "url=http://127.0.0.1:" + server.port() + ";serialization=protobuf";
    for (String url : List.of("jdbc:dstream:" + http, "jdbc:avatica:remote:" + http, "jdbc:avatica:remote:" + http
        + CLEAR_ERRORS)) {
      assertThatThrownBy(() -> showStreams(url))
          .as(url)
          .hasMessageContaining(PlainHttpRefusal.MESSAGE);
    }
    assertThatThrownBy(() -> showStreams("jdbc:dstream:" + http))
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(PlainHttpRefusal.SQL_STATE));
    String https = server.url() + ";truststore=" + keystore + ";truststore_password=storepass";
    assertThat(showStreams(https)).hasSize(3);
    assertThat(showStreams(https.replace("jdbc:avatica:remote:", "jdbc:dstream:"))).hasSize(3);
  }

  @Test
  void tlsMistakesAreClearSqlExceptionsOfTheDStreamDriver() throws Exception {
    Path keystore = generateKeystore(temp.resolve("server.p12"), "storepass");
    start(new ServerSecurity(null, new ServerSecurity.Tls(keystore, "storepass")));
    String untrusted = "jdbc:dstream:url=https://127.0.0.1:" + server.port() + ";serialization=protobuf";
    assertThatThrownBy(() -> showStreams(untrusted))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("the server's certificate is not trusted")
        .hasMessageContaining("truststore=FILE")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
    server.close();
    start(ServerSecurity.NONE);
    String httpsToPlain = "jdbc:dstream:url=https://127.0.0.1:" + server.port() + ";serialization=protobuf"
        + ";truststore=" + keystore + ";truststore_password=storepass";
    assertThatThrownBy(() -> showStreams(httpsToPlain))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("the server does not speak TLS on this port: use an http:// URL");
  }

  @Test
  void theDStreamDriverGivesUpOnAServerThatClosesConnectionsWithoutAnAnswer() throws Exception {
    // What a TLS port of another server does with plain HTTP: read the request, close.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        while (true) {
          try (Socket socket = silent.accept()) {
            readRequest(socket.getInputStream());
          } catch (IOException e) {
            return;
          }
        }
      }, "silent-server");
      acceptor.setDaemon(true);
      acceptor.start();
      String address = "127.0.0.1:" + silent.getLocalPort();
      assertThatThrownBy(() -> showStreams("jdbc:dstream:url=http://" + address + ";serialization=protobuf"))
          .isInstanceOf(SQLException.class)
          .hasMessage("the server at http://" + address + " did not answer over HTTP (it closed the connection "
              + "3 times); is it an https (TLS) port? use https://" + address)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(DStreamHttpClient.CONNECTION_SQL_STATE));
    }
  }

  /** Reads one HTTP request: its head, then as many body bytes as its Content-Length says. */
  private static void readRequest(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int b;
    while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) {
      head.append((char) b);
    }
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    if (length.find()) {
      in.readNBytes(Integer.parseInt(length.group(1)));
    }
  }

  @Test
  void aMissingUsersFileOrKeystoreIsAClearError() {
    assertThatThrownBy(() -> start(new ServerSecurity(temp.resolve("nope"), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("users file")
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> start(new ServerSecurity(null, new ServerSecurity.Tls(temp.resolve("nope.p12"), "x"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TLS keystore");
  }

  /** A PKCS12 keystore with a self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
  static Path generateKeystore(Path keystore, String password) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process = new ProcessBuilder(List.of(
        keytool.toString(), "-genkeypair", "-alias", "dstream", "-keyalg", "RSA", "-keysize", "2048",
        "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", password, "-keypass", password))
        .redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    return keystore;
  }

  private static List<String> showStreams(String url) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url)) {
      return showStreams(connection);
    }
  }

  private static List<String> showStreams(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SHOW STREAMS")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1) + "|" + rs.getString(2));
      }
      return rows;
    }
  }

  private static Object[] bid(int i) {
    return new Object[] {FakeEngine.TEN_SECONDS_INTO_2026 + i * 1000L, (long) i, "Google"};
  }
}
