package io.dstream.executor.codec;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/**
 * A channel view of a Netty buffer: reads consume its readable bytes, writes append at its writer
 * index. Closing the channel neither closes nor releases the buffer, which stays the caller's.
 */
final class ByteBufChannel implements ByteChannel {
  private final ByteBuf buffer;

  ByteBufChannel(ByteBuf buffer) {
    this.buffer = buffer;
  }

  @Override
  public int read(ByteBuffer dst) {
    int readable = buffer.readableBytes();
    if (readable == 0) {
      return dst.hasRemaining() ? -1 : 0;
    }
    int count = Math.min(readable, dst.remaining());
    int limit = dst.limit();
    dst.limit(dst.position() + count);
    buffer.readBytes(dst);
    dst.limit(limit);
    return count;
  }

  @Override
  public int write(ByteBuffer src) {
    int count = src.remaining();
    buffer.writeBytes(src);
    return count;
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public void close() {}
}
