package io.dstream.jdbcserver.client;

import java.net.URL;
import java.sql.SQLException;
import org.apache.calcite.avatica.remote.AvaticaCommonsHttpClientImpl;

/**
 * The Avatica remote driver's HTTP client with clear errors for rejected credentials. Select it
 * with {@code httpclient_impl=io.dstream.jdbcserver.client.DStreamHttpClient} in the JDBC URL
 * ({@code dstream sql} does so); everything else (BASIC credentials, truststore, pooling) is the
 * stock client's.
 *
 * <p>The stock client fails a rejected request with a {@code RuntimeException} "Failed to execute
 * HTTP Request, got HTTP/401". This one raises a {@link SQLException} with SQLSTATE 28000 (invalid
 * authorization) and the message {@value #AUTHENTICATION_FAILED}, which {@code
 * DriverManager.getConnection} passes on, because the remote driver's first request, made while
 * connecting, is the one that is rejected.
 */
public class DStreamHttpClient extends AvaticaCommonsHttpClientImpl {
  public static final String AUTHENTICATION_FAILED = "authentication failed (HTTP 401): check user and password";
  public static final String FORBIDDEN = "access denied (HTTP 403): the user may not use this server";
  public static final String INVALID_AUTHORIZATION_SQL_STATE = "28000";

  public DStreamHttpClient(URL url) {
    super(url);
  }

  @Override
  public byte[] send(byte[] request) {
    try {
      return super.send(request);
    } catch (RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      if (message.endsWith("HTTP/401")) {
        throw sneaky(new SQLException(AUTHENTICATION_FAILED, INVALID_AUTHORIZATION_SQL_STATE, e));
      }
      if (message.endsWith("HTTP/403")) {
        throw sneaky(new SQLException(FORBIDDEN, INVALID_AUTHORIZATION_SQL_STATE, e));
      }
      throw e;
    }
  }

  /** Throws a checked exception through {@link #send}, whose interface declares none. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
    throw (E) e;
  }
}
