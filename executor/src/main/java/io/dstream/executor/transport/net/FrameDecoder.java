package io.dstream.executor.transport.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Turns bytes into {@link Frame}s. Rejects an oversized length prefix before buffering the
 * frame, and after the first error discards everything so the reason is reported once. The
 * frame limit starts small and is raised once the peer has authenticated. One per channel;
 * used on its event loop only.
 */
final class FrameDecoder extends ByteToMessageDecoder {
  private int maxFrameBytes;
  private boolean failed;

  FrameDecoder(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  void maxFrameBytes(int value) {
    this.maxFrameBytes = value;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < Frame.LENGTH_BYTES) {
      return;
    }
    long length = in.getUnsignedInt(in.readerIndex());
    if (length > maxFrameBytes) {
      throw fail(new TooLongFrameException(
          "frame of " + length + " bytes exceeds the limit of " + maxFrameBytes + " bytes"), in);
    }
    if (length < Frame.HEADER_BYTES) {
      throw fail(new CorruptedFrameException(
          "frame of " + length + " bytes is shorter than the " + Frame.HEADER_BYTES + "-byte header"), in);
    }
    if (in.readableBytes() < Frame.LENGTH_BYTES + length) {
      return;
    }
    in.skipBytes(Frame.LENGTH_BYTES);
    int end = in.readerIndex() + (int) length;
    int magic = in.readUnsignedByte();
    int version = in.readUnsignedByte();
    int code = in.readUnsignedByte();
    long requestId = in.readLong();
    if (magic != Frame.MAGIC) {
      throw fail(new CorruptedFrameException(String.format("bad magic byte 0x%02X", magic)), in);
    }
    if (version != Frame.VERSION) {
      throw fail(new CorruptedFrameException("unsupported protocol version " + version), in);
    }
    MessageType type = MessageType.byCode(code);
    if (type == null) {
      throw fail(new CorruptedFrameException("unknown message type " + code), in);
    }
    byte[] payload = new byte[end - in.readerIndex()];
    in.readBytes(payload);
    out.add(new Frame(type, requestId, payload));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    int buffered = actualReadableBytes();
    if (!failed && buffered > 0) {
      CloseCause.note(ctx.channel(), "connection closed in the middle of a frame (" + buffered + " bytes buffered)");
    }
    failed = true;
    super.channelInactive(ctx);
  }

  private RuntimeException fail(RuntimeException error, ByteBuf in) {
    failed = true;
    in.skipBytes(in.readableBytes());
    return error;
  }
}
