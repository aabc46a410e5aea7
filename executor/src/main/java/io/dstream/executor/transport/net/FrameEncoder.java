package io.dstream.executor.transport.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes a {@link Frame} as its length prefix and header, followed by the payload array wrapped
 * without copying. A frame over the limit fails its write and leaves the connection open.
 */
final class FrameEncoder extends MessageToMessageEncoder<Frame> {
  private final int maxFrameBytes;

  FrameEncoder(int maxFrameBytes) {
    super(Frame.class);
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
    long length = frame.frameBytes();
    if (length > maxFrameBytes) {
      throw new EncoderException(
          "frame of " + length + " bytes exceeds the limit of " + maxFrameBytes + " bytes");
    }
    ByteBuf header = ctx.alloc().buffer(Frame.LENGTH_BYTES + Frame.HEADER_BYTES);
    header.writeInt((int) length);
    header.writeByte(Frame.MAGIC);
    header.writeByte(Frame.VERSION);
    header.writeByte(frame.type().code());
    header.writeLong(frame.requestId());
    out.add(header);
    if (frame.payload().length > 0) {
      out.add(Unpooled.wrappedBuffer(frame.payload()));
    }
  }
}
