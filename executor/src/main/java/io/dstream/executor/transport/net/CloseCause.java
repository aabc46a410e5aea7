package io.dstream.executor.transport.net;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Why a channel closed: the first reason recorded wins, so each closed connection is explained
 * (and logged) once even when several handlers notice the problem.
 */
final class CloseCause {
  private static final AttributeKey<Throwable> CAUSE = AttributeKey.valueOf("dstream.closeCause");
  private static final AttributeKey<String> NOTE = AttributeKey.valueOf("dstream.closeNote");

  private CloseCause() {}

  /** Records the reason unless one is already recorded; true if this call recorded it. */
  static boolean record(Channel channel, Throwable cause) {
    return channel.attr(CAUSE).compareAndSet(null, cause);
  }

  /** Records the reason and closes; true if this call recorded it, so the caller logs it. */
  static boolean close(Channel channel, Throwable cause) {
    boolean first = record(channel, cause);
    channel.close();
    return first;
  }

  /** The recorded reason, or one built from a note or the given default. */
  static Throwable get(Channel channel, String otherwise) {
    Throwable cause = channel.attr(CAUSE).get();
    if (cause != null) {
      return cause;
    }
    String note = channel.attr(NOTE).get();
    return error(note != null ? note : otherwise);
  }

  /** Extra detail for a close that nobody initiated, such as a truncated frame. */
  static void note(Channel channel, String note) {
    channel.attr(NOTE).setIfAbsent(note);
  }

  static String noteOr(Channel channel, String otherwise) {
    String note = channel.attr(NOTE).get();
    return note != null ? note : otherwise;
  }

  static EngineException error(String message) {
    return new EngineException(ErrorCode.INTERNAL_ERROR, message);
  }

  static EngineException error(String message, Throwable cause) {
    return new EngineException(ErrorCode.INTERNAL_ERROR, message, cause);
  }
}
