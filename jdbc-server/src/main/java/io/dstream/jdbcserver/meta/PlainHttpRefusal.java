package io.dstream.jdbcserver.meta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.OptionalSslConnectionFactory;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first connection factory of a TLS port: TLS goes on to the {@link SslConnectionFactory};
 * plain bytes (a client with an {@code http://} URL) get one HTTP 500 answer and the connection
 * is closed. Without it Jetty closed such connections without a word, and Avatica's HTTP client
 * retries an unanswered request forever, so the client hung.
 *
 * <p>The answer's body is an Avatica protobuf {@code ErrorResponse}, which the remote driver
 * raises as an error with {@link #MESSAGE} and SQLSTATE {@value #SQL_STATE}, whatever its HTTP
 * client.
 */
final class PlainHttpRefusal extends OptionalSslConnectionFactory {
  private static final Logger LOG = LoggerFactory.getLogger(PlainHttpRefusal.class);
  static final String MESSAGE = "This DStream SQL server port uses TLS: connect with an https:// URL"
      + " (the request came over plain HTTP)";
  /** SQLSTATE: the client could not establish the connection. */
  static final String SQL_STATE = "08001";
  private static final byte[] RESPONSE = response();

  PlainHttpRefusal(SslConnectionFactory ssl) {
    super(ssl, null);
  }

  @Override
  protected void otherProtocol(ByteBuffer buffer, EndPoint endPoint) {
    LOG.debug("Plain HTTP on the TLS port from {}: answered with an error", endPoint.getRemoteAddress());
    // The request is not read: its first bytes told enough, and the connection is closed after the answer.
    buffer.position(buffer.limit());
    Callback.Completable written = new Callback.Completable();
    endPoint.write(written, ByteBuffer.wrap(RESPONSE));
    written.whenComplete((ignored, failure) -> endPoint.close());
  }

  private static byte[] response() {
    byte[] body;
    try {
      body = new ProtobufTranslationImpl().serializeResponse(
          new Service.ErrorResponse(List.of(), MESSAGE, 1, SQL_STATE, AvaticaSeverity.ERROR, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] head = ("HTTP/1.1 500 Server Error\r\nContent-Type: application/octet-stream\r\nContent-Length: "
        + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }
}
