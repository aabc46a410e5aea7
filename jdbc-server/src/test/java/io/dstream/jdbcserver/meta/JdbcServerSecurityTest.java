package io.dstream.jdbcserver.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.jdbcserver.client.DStreamHttpClient;
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
