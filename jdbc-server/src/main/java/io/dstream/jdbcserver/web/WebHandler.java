package io.dstream.jdbcserver.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dstream.jdbcserver.engine.Engine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes the web server's requests; stateless, so one instance serves every connection. */
@ChannelHandler.Sharable
final class WebHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(WebHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Engine engine;

  WebHandler(Engine engine) {
    this.engine = engine;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    FullHttpResponse response;
    if (!request.decoderResult().isSuccess()) {
      response = text(HttpResponseStatus.BAD_REQUEST, "Bad request\n");
    } else {
      response = route(request);
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
    HttpUtil.setContentLength(response, response.content().readableBytes());
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    if (keepAlive) {
      if (!request.protocolVersion().isKeepAliveDefault()) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      }
      ctx.writeAndFlush(response);
    } else {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private FullHttpResponse route(FullHttpRequest request) {
    String path = new QueryStringDecoder(request.uri()).path();
    boolean known = path.equals("/") || path.equals("/api/queries") || path.equals("/metrics");
    if (!known) {
      return text(HttpResponseStatus.NOT_FOUND, "Not found: " + path + "\n");
    }
    if (!request.method().equals(HttpMethod.GET)) {
      FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED,
          "Method " + request.method() + " not allowed: this server is read-only\n");
      response.headers().set(HttpHeaderNames.ALLOW, "GET");
      return response;
    }
    try {
      EngineStatus status = EngineStatus.of(engine);
      return switch (path) {
        case "/" -> response(HttpResponseStatus.OK, StatusPage.CONTENT_TYPE, StatusPage.render(status));
        case "/metrics" -> response(HttpResponseStatus.OK, Metrics.CONTENT_TYPE, Metrics.render(status));
        default -> response(HttpResponseStatus.OK, "application/json", JSON.writeValueAsString(status));
      };
    } catch (JsonProcessingException | RuntimeException e) {
      LOG.warn("web request {} failed", path, e);
      return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal error: " + e.getMessage() + "\n");
    }
  }

  private static FullHttpResponse text(HttpResponseStatus status, String body) {
    return response(status, "text/plain; charset=utf-8", body);
  }

  private static FullHttpResponse response(HttpResponseStatus status, String contentType, String body) {
    ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    return response;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("web connection failed", cause);
    ctx.close();
  }
}
