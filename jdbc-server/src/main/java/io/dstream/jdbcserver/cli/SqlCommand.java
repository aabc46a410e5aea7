package io.dstream.jdbcserver.cli;

import static java.util.Objects.requireNonNull;

import io.dstream.jdbcserver.client.DStreamDriver;
import io.dstream.jdbcserver.client.DStreamHttpClient;
import io.dstream.jdbcserver.meta.JdbcServer;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sqlline.SqlLine;

/**
 * {@code dstream sql}: sqlline, in this process, connected to a DStream SQL server through
 * {@link DStreamDriver} (a {@code jdbc:avatica:remote:} URL uses the plain Avatica remote driver),
 * with settings that suit streaming output.
 */
final class SqlCommand {
  static final String DRIVER = DStreamDriver.class.getName();
  static final String DEFAULT_URL = DStreamDriver.url(JdbcServer.DEFAULT_HOST, JdbcServer.DEFAULT_PORT, false);
  /** Output width when standard output is not a terminal, where sqlline would see width 0. */
  static final int NON_TERMINAL_WIDTH = 200;
  /** sqlline prints TIMESTAMP values with this pattern instead of Timestamp.toString(). */
  static final String TIMESTAMP_FORMAT = "yyyy-MM-dd HH:mm:ss.SSS";

  static final String USAGE =
      """
      Usage: dstream sql [options] [sqlline options]

      Opens a SQL shell on a DStream SQL server. With -e or -f it runs the statements and exits.

      Options:
        -u, --url <jdbc-url>   Server URL (default %s;
                               url=https://... for a server with TLS; a
                               jdbc:avatica:remote: URL uses the Avatica driver)
        --user <user>          User for a server started with --users
        --password <password>  The user's password (or the DSTREAM_PASSWORD variable)
        --truststore <file>    Keystore with the certificate of a TLS server to trust
        --truststore-password <password>
                               Its password (or DSTREAM_TRUSTSTORE_PASSWORD)
        -e <sql>               Run a statement; may be repeated
        -f <file>              Run the statements in a script file
        -h, --help             Show this help

      Other options go to sqlline, for example --rowLimit=10 (stop a push query after 10 rows),
      --outputFormat=csv or --maxWidth=120.
      """
          .formatted(DEFAULT_URL);

  private final PrintStream out;
  private final PrintStream err;

  SqlCommand(PrintStream out, PrintStream err) {
    this.out = requireNonNull(out, "out is null");
    this.err = requireNonNull(err, "err is null");
  }

  /** The sqlline command line for {@code args}, or empty for --help. */
  static List<String> sqllineArgs(List<String> args, boolean terminal) throws UsageException {
    return sqllineArgs(args, terminal, System.getenv());
  }

  static List<String> sqllineArgs(List<String> args, boolean terminal, Map<String, String> env)
      throws UsageException {
    ArgReader reader = new ArgReader("sql", args);
    String url = DEFAULT_URL;
    String user = null;
    String password = env.get("DSTREAM_PASSWORD");
    String truststore = null;
    String truststorePassword = env.get("DSTREAM_TRUSTSTORE_PASSWORD");
    List<String> scripts = new ArrayList<>();
    List<String> passThrough = new ArrayList<>();
    boolean batch = false;
    while (reader.hasNext()) {
      String option = reader.next();
      switch (option) {
        case "-u", "--url" -> url = reader.value(option);
        case "--user" -> user = reader.value(option);
        case "--password" -> password = reader.value(option);
        case "--truststore" -> truststore = reader.value(option);
        case "--truststore-password" -> truststorePassword = reader.value(option);
        case "-e" -> {
          scripts.add("-e");
          scripts.add(reader.value(option));
          batch = true;
        }
        case "-f" -> {
          scripts.add("-f");
          scripts.add(reader.value(option));
          batch = true;
        }
        case "-h", "--help" -> {
          return List.of();
        }
        default -> {
          if (!reader.raw().startsWith("--") || reader.raw().length() == 2) {
            throw reader.unknown(reader.raw());
          }
          passThrough.add(reader.raw());
        }
      }
    }
    StringBuilder fullUrl = new StringBuilder(url);
    if (user != null) {
      if (password == null) {
        throw new UsageException("sql: --user needs a password: --password or DSTREAM_PASSWORD");
      }
      fullUrl.append(";authentication=BASIC;avatica_user=").append(urlValue("--user", user))
          .append(";avatica_password=").append(urlValue("--password", password));
    }
    if (truststore != null) {
      if (truststorePassword == null) {
        throw new UsageException("sql: --truststore needs a password: --truststore-password or DSTREAM_TRUSTSTORE_PASSWORD");
      }
      fullUrl.append(";truststore=").append(urlValue("--truststore", truststore))
          .append(";truststore_password=").append(urlValue("--truststore-password", truststorePassword));
    }
    if (url.startsWith("jdbc:avatica:remote:") && !url.contains("httpclient_impl=")) {
      // Clear messages for rejected credentials instead of "got HTTP/401" (DStreamDriver uses
      // this client by default).
      fullUrl.append(";httpclient_impl=").append(DStreamHttpClient.class.getName());
    }
    List<String> result = new ArrayList<>();
    result.addAll(List.of("-u", fullUrl.toString(), "-n", user != null ? user : "dstream", "-p", "dstream", "-d", DRIVER));
    result.add("--connectInteractionMode=notAskCredentials");
    result.add("--isolation=TRANSACTION_NONE");
    result.add("--timestampFormat=" + TIMESTAMP_FORMAT);
    result.add("--outputFormat=table");
    result.add("--incremental=true");
    result.add("--showWarnings=false");
    if (!terminal) {
      result.add("--maxWidth=" + NON_TERMINAL_WIDTH);
    }
    if (batch) {
      result.add("--silent=true");
    }
    result.addAll(passThrough);
    result.addAll(scripts);
    return result;
  }

  /** A value for the JDBC URL, whose properties are separated by ';'. */
  private static String urlValue(String option, String value) throws UsageException {
    if (value.indexOf(';') >= 0) {
      throw new UsageException("sql: " + option + " cannot contain ';' (it separates the JDBC URL's properties)");
    }
    return value;
  }

  int run(List<String> args) throws UsageException {
    boolean terminal = System.console() != null;
    List<String> sqllineArgs = sqllineArgs(args, terminal);
    if (sqllineArgs.isEmpty()) {
      out.print(USAGE);
      return Main.EXIT_OK;
    }
    boolean interactive = !sqllineArgs.contains("-e") && !sqllineArgs.contains("-f");
    try {
      Class.forName(DRIVER);
      SqlLine.Status status = SqlLine.start(sqllineArgs.toArray(new String[0]), System.in, interactive);
      return status.ordinal();
    } catch (ClassNotFoundException | IOException e) {
      err.println("dstream sql: " + e.getMessage());
      return Main.EXIT_FAILURE;
    }
  }
}
