package io.dstream.jdbcserver.client;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.sql.SQLException;
import org.apache.calcite.avatica.remote.AvaticaCommonsHttpClientImpl;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.routing.RoutingSupport;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * The Avatica remote driver's HTTP client with clear errors where the stock one has none. Select
 * it with {@code httpclient_impl=io.dstream.jdbcserver.client.DStreamHttpClient} in the JDBC URL
 * ({@code dstream sql} and {@link DStreamDriver} do so); everything else (BASIC credentials,
 * truststore, pooling) is the stock client's.
 *
 * <ul>
 *   <li>The stock client fails a rejected request with a {@code RuntimeException} "Failed to
 *       execute HTTP Request, got HTTP/401". This one raises a {@link SQLException} with SQLSTATE
 *       28000 (invalid authorization) and the message {@value #AUTHENTICATION_FAILED}, which
 *       {@code DriverManager.getConnection} passes on, because the remote driver's first request,
 *       made while connecting, is the one that is rejected.
 *   <li>The stock client retries without limit when the server closes the connection without an
 *       answer, which is what a TLS port does with plain HTTP: an {@code http://} URL of an https
 *       server looped forever. This one tries {@value #MAX_UNANSWERED} times, then raises a
 *       SQLException with SQLSTATE {@value #CONNECTION_SQL_STATE} saying the server did not
 *       answer over HTTP and that an https URL may be needed.
 * </ul>
 */
public class DStreamHttpClient extends AvaticaCommonsHttpClientImpl {
  public static final String AUTHENTICATION_FAILED = "authentication failed (HTTP 401): check user and password";
  public static final String FORBIDDEN = "access denied (HTTP 403): the user may not use this server";
  public static final String INVALID_AUTHORIZATION_SQL_STATE = "28000";
  /** SQLSTATE for a server that does not answer: unable to establish the connection. */
  public static final String CONNECTION_SQL_STATE = "08001";
  /** Requests the server closed without an answer before giving up (one may be a stale pooled connection). */
  static final int MAX_UNANSWERED = 3;

  public DStreamHttpClient(URL url) {
    super(url);
  }

  /** A response's status and body. */
  private record Reply(int status, byte[] body) {}

  /** What the stock client's send does, without its endless retries and with clear errors. */
  @Override
  public byte[] send(byte[] request) {
    int unanswered = 0;
    while (true) {
      HttpPost post = new HttpPost(uri);
      post.setEntity(new ByteArrayEntity(request, ContentType.APPLICATION_OCTET_STREAM));
      Reply reply;
      try {
        if (httpHost == null) {
          httpHost = RoutingSupport.determineHost(post);
        }
        try (ClassicHttpResponse response = client.executeOpen(httpHost, post, context)) {
          reply = new Reply(response.getCode(), EntityUtils.toByteArray(response.getEntity()));
        }
      } catch (NoHttpResponseException e) {
        if (++unanswered < MAX_UNANSWERED) {
          continue;
        }
        throw sneaky(new SQLException(noAnswer(), CONNECTION_SQL_STATE, e));
      } catch (IOException | HttpException e) {
        throw new RuntimeException(e);
      }
      switch (reply.status()) {
        case HttpURLConnection.HTTP_OK, HttpURLConnection.HTTP_INTERNAL_ERROR -> {
          userToken = context.getUserToken();
          return reply.body();
        }
        case HttpURLConnection.HTTP_UNAVAILABLE -> {
          // As the stock client: the server (or a load balancer before it) is not ready yet.
          continue;
        }
        case HttpURLConnection.HTTP_UNAUTHORIZED ->
            throw sneaky(new SQLException(AUTHENTICATION_FAILED, INVALID_AUTHORIZATION_SQL_STATE));
        case HttpURLConnection.HTTP_FORBIDDEN ->
            throw sneaky(new SQLException(FORBIDDEN, INVALID_AUTHORIZATION_SQL_STATE));
        default -> throw new RuntimeException("Failed to execute HTTP Request, got HTTP/" + reply.status());
      }
    }
  }

  private String noAnswer() {
    String address = uri.toString();
    if ("http".equalsIgnoreCase(uri.getScheme())) {
      return "the server at " + address + " did not answer over HTTP (it closed the connection " + MAX_UNANSWERED
          + " times); is it an https (TLS) port? use https://" + uri.getRawAuthority();
    }
    return "the server at " + address + " closed the connection without an answer " + MAX_UNANSWERED + " times";
  }

  /** Throws a checked exception through {@link #send}, whose interface declares none. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
    throw (E) e;
  }
}
