package io.dstream.jdbcserver.meta;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Access control for a {@link JdbcServer}: HTTP BASIC users from a realm file and TLS with a
 * keystore, each optional. {@link #NONE} is an open server over plain HTTP.
 *
 * <p>The users file is a Jetty {@code HashLoginService} realm file with one {@code user: password[,role...]}
 * line per user ({@code #} starts a comment; the password may be given as {@code OBF:}, {@code MD5:}
 * or {@code CRYPT:} digests). Every user listed in the file may connect; roles are not checked.
 *
 * @param usersFile the realm file, or null for no authentication
 * @param tls the keystore for HTTPS, or null for plain HTTP
 */
public record ServerSecurity(Path usersFile, Tls tls) {
  public static final ServerSecurity NONE = new ServerSecurity(null, null);

  /**
   * A keystore (PKCS12, as {@code keytool} makes by default) holding the server's key and
   * certificate.
   */
  public record Tls(Path keystore, String password) {
    public Tls {
      requireNonNull(keystore, "keystore is null");
      requireNonNull(password, "password is null");
    }

    @Override
    public String toString() {
      return "Tls[keystore=" + keystore + "]";
    }
  }

  public boolean authenticates() {
    return usersFile != null;
  }

  public boolean usesTls() {
    return tls != null;
  }
}
