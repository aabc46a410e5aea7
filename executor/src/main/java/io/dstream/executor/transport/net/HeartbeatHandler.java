package io.dstream.executor.transport.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends HEARTBEAT when nothing was written for the heartbeat interval, and closes the connection
 * as lost when nothing was read for the peer timeout. Sits first in the pipeline, so the bytes of
 * a large frame still in transit count as signs of life.
 */
final class HeartbeatHandler extends IdleStateHandler {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatHandler.class);

  private final PeerConnection connection;
  private final long peerTimeoutMillis;

  HeartbeatHandler(PeerConnection connection, ProtocolConfig config) {
    super(config.peerTimeout().toMillis(), config.heartbeatInterval().toMillis(), 0, TimeUnit.MILLISECONDS);
    this.connection = connection;
    this.peerTimeoutMillis = config.peerTimeout().toMillis();
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
    if (event.state() == IdleState.WRITER_IDLE) {
      // Through the channel, not this context: the frame must pass the encoder behind us.
      ctx.channel().writeAndFlush(Frame.of(MessageType.HEARTBEAT, Frame.NO_REQUEST));
    } else if (event.state() == IdleState.READER_IDLE) {
      String reason = "peer " + connection + " lost: nothing received for " + peerTimeoutMillis + " ms";
      if (CloseCause.close(ctx.channel(), CloseCause.error(reason))) {
        LOG.info(reason);
      }
    }
  }
}
