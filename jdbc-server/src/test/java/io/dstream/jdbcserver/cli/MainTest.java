package io.dstream.jdbcserver.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.jdbcserver.client.DStreamDriver;
import io.dstream.jdbcserver.client.DStreamHttpClient;
import io.dstream.jdbcserver.meta.JdbcServer;
import io.dstream.jdbcserver.meta.ServerSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void noArgumentsPrintsUsageListingTheCommands() {
    assertThat(run()).isEqualTo(Main.EXIT_USAGE);
    assertThat(out()).contains("Usage: dstream", "demo", "server", "sql");
  }

  @Test
  void helpExitsWithZero() {
    assertThat(run("--help")).isZero();
    assertThat(out()).contains("demo", "server", "sql");
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(run("serve")).isEqualTo(Main.EXIT_USAGE);
    assertThat(err()).contains("unknown command 'serve'");
  }

  @Test
  void everyCommandHasHelp() {
    assertThat(run("server", "--help")).isZero();
    assertThat(run("sql", "--help")).isZero();
    assertThat(run("demo", "-h")).isZero();
    assertThat(out()).contains("dstream server", "--batch-interval", "dstream sql", "--rowLimit", "dstream demo", "--seconds");
  }

  @Test
  void unknownOptionIsAUsageErrorNamingTheOption() {
    assertThat(run("server", "--bogus")).isEqualTo(Main.EXIT_USAGE);
    assertThat(err()).contains("dstream server: unknown option --bogus", "dstream server --help");
  }

  @Test
  void badValuesAreUsageErrors() {
    assertThat(run("server", "--port", "http")).isEqualTo(Main.EXIT_USAGE);
    assertThat(run("server", "--port")).isEqualTo(Main.EXIT_USAGE);
    assertThat(run("server", "--batch-interval", "fast")).isEqualTo(Main.EXIT_USAGE);
    assertThat(run("demo", "--seconds", "0")).isEqualTo(Main.EXIT_USAGE);
    assertThat(run("sql", "-x")).isEqualTo(Main.EXIT_USAGE);
    assertThat(err())
        .contains("--port needs a whole number", "--port needs a value", "500ms", "--seconds must be between");
  }

  @Test
  void serverOptionsAreParsed() throws UsageException {
    ServerCommand.Options options =
        ServerCommand.parse(
            List.of("--port", "9000", "--host=0.0.0.0", "--workers", "4", "--batch-interval", "500ms"));
    assertThat(options.port()).isEqualTo(9000);
    assertThat(options.host()).isEqualTo("0.0.0.0");
    assertThat(options.config().workers()).isEqualTo(4);
    assertThat(options.config().batchIntervalMillis()).isEqualTo(500);
    assertThat(ServerCommand.parse(List.of("--batch-interval=2s")).config().batchIntervalMillis()).isEqualTo(2000);

    ServerCommand.Options defaults = ServerCommand.parse(List.of());
    assertThat(defaults.port()).isEqualTo(JdbcServer.DEFAULT_PORT);
    assertThat(defaults.host()).isEqualTo("127.0.0.1");
    assertThat(defaults.config().batchIntervalMillis()).isEqualTo(1000);
  }

  @Test
  void workerHelpListsTheStragglerTestOption() {
    assertThat(run("worker", "--help")).isZero();
    assertThat(out()).contains("--driver", "Test options:", "--task-delay-ms");
    assertThat(run("worker", "--driver", "127.0.0.1:1", "--secret", "s", "--task-delay-ms", "-5"))
        .isEqualTo(Main.EXIT_USAGE);
  }

  @Test
  void speculationIsOnByDefaultAndCanBeTurnedOff() throws UsageException {
    assertThat(ServerCommand.parse(List.of()).config().speculation().enabled()).isTrue();
    assertThat(ServerCommand.parse(List.of("--speculation", "off")).config().speculation().enabled()).isFalse();
    assertThat(ServerCommand.parse(List.of("--speculation=on")).config().speculation().enabled()).isTrue();
    assertThatThrownBy(() -> ServerCommand.parse(List.of("--speculation", "maybe")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--speculation expects on or off");
  }

  @Test
  void tooShortBatchIntervalIsRejected() {
    assertThatThrownBy(() -> ServerCommand.parse(List.of("--batch-interval", "5ms")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("at least 10ms");
  }

  @Test
  void sqlBuildsANonInteractiveSqllineCommandLine() throws UsageException {
    List<String> args =
        SqlCommand.sqllineArgs(List.of("-e", "SHOW STREAMS", "--rowLimit=10", "-e", "SHOW VIEWS"), false);
    assertThat(args)
        .containsSubsequence(
            "-u", SqlCommand.DEFAULT_URL, "-n", "dstream", "-p", "dstream", "-d", DStreamDriver.class.getName())
        .contains("--maxWidth=200", "--outputFormat=table", "--incremental=true", "--showWarnings=false", "--silent=true")
        .containsSubsequence("--rowLimit=10", "-e", "SHOW STREAMS", "-e", "SHOW VIEWS");
    assertThat(SqlCommand.DEFAULT_URL)
        .isEqualTo("jdbc:dstream:url=http://127.0.0.1:8765;serialization=protobuf");
  }

  @Test
  void interactiveSqlKeepsTheTerminalWidthAndMessages() throws UsageException {
    List<String> args = SqlCommand.sqllineArgs(List.of("-u", "jdbc:avatica:remote:url=http://h:1"), true);
    assertThat(args).containsSubsequence("-u", "jdbc:avatica:remote:url=http://h:1;httpclient_impl=" + DStreamHttpClient.class.getName());
    assertThat(args).noneMatch(arg -> arg.startsWith("--maxWidth") || arg.startsWith("--silent"));
  }

  @Test
  void serverTakesAUsersFileAndATlsKeystore(@TempDir Path temp) throws Exception {
    Path users = Files.writeString(temp.resolve("users"), "alice: secret,dstream\n");
    Path keystore = Files.writeString(temp.resolve("server.p12"), "not really a keystore");
    ServerCommand.Options options = ServerCommand.parse(
        List.of("--users", users.toString(), "--tls-keystore=" + keystore, "--tls-keystore-password", "pw"), Map.of());
    assertThat(options.security()).isEqualTo(new ServerSecurity(users, new ServerSecurity.Tls(keystore, "pw")));
    ServerCommand.Options fromEnv = ServerCommand.parse(
        List.of("--tls-keystore", keystore.toString()), Map.of("DSTREAM_TLS_KEYSTORE_PASSWORD", "envpw"));
    assertThat(fromEnv.security().tls().password()).isEqualTo("envpw");
    assertThat(fromEnv.security().authenticates()).isFalse();
    assertThat(ServerCommand.parse(List.of(), Map.of()).security()).isEqualTo(ServerSecurity.NONE);

    assertThatThrownBy(() -> ServerCommand.parse(List.of("--tls-keystore", keystore.toString()), Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--tls-keystore-password or DSTREAM_TLS_KEYSTORE_PASSWORD");
    assertThatThrownBy(() -> ServerCommand.parse(List.of("--users", temp.resolve("missing").toString()), Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--users file")
        .hasMessageContaining("does not exist");
  }

  @Test
  void serverHelpDocumentsTheUsersFileAndTls() {
    assertThat(run("server", "--help")).isZero();
    assertThat(out()).contains("--users <file>", "'user: password[,role]'", "127.0.0.1", "--tls-keystore <file>",
        "DSTREAM_TLS_KEYSTORE_PASSWORD", "avatica_user=USER");
    assertThat(run("sql", "--help")).isZero();
    assertThat(out()).contains("--user <user>", "DSTREAM_PASSWORD", "--truststore <file>");
  }

  @Test
  void sqlPutsCredentialsAndTruststoreInTheUrl() throws UsageException {
    String url = "jdbc:avatica:remote:url=https://h:1;serialization=protobuf";
    List<String> args = SqlCommand.sqllineArgs(
        List.of("-u", url, "--user", "alice", "--password=secret", "--truststore", "/k.p12", "--truststore-password", "tp"),
        false, Map.of());
    assertThat(args).containsSubsequence("-u",
        url + ";authentication=BASIC;avatica_user=alice;avatica_password=secret;truststore=/k.p12;truststore_password=tp"
            + ";httpclient_impl=" + DStreamHttpClient.class.getName(),
        "-n", "alice");
    List<String> fromEnv = SqlCommand.sqllineArgs(List.of("--user", "bob"), false, Map.of("DSTREAM_PASSWORD", "pw"));
    assertThat(fromEnv.get(1)).contains(";avatica_user=bob;avatica_password=pw");

    assertThatThrownBy(() -> SqlCommand.sqllineArgs(List.of("--user", "bob"), false, Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--password or DSTREAM_PASSWORD");
    assertThatThrownBy(() -> SqlCommand.sqllineArgs(List.of("--user", "bob", "--password", "a;b"), false, Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("cannot contain ';'");
    assertThatThrownBy(() -> SqlCommand.sqllineArgs(List.of("--truststore", "/k.p12"), false, Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("DSTREAM_TRUSTSTORE_PASSWORD");
  }
}
