package io.dstream.executor.transport.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/** A listener that records every event and answers requests with a configurable handler. */
final class RecordingListener implements ConnectionListener {
  static final long WAIT_SECONDS = 5;

  /** A disconnect as the listener saw it. */
  record Disconnect(PeerConnection connection, Throwable cause) {}

  final BlockingQueue<PeerConnection> connected = new LinkedBlockingQueue<>();
  final BlockingQueue<Frame> messages = new LinkedBlockingQueue<>();
  final BlockingQueue<Disconnect> disconnected = new LinkedBlockingQueue<>();
  final BlockingQueue<String> rejected = new LinkedBlockingQueue<>();
  private volatile BiConsumer<PeerConnection, Frame> handler = RecordingListener::echo;

  static void echo(PeerConnection connection, Frame frame) {
    if (frame.type() == MessageType.REQUEST) {
      connection.reply(frame, frame.payload());
    }
  }

  RecordingListener handler(BiConsumer<PeerConnection, Frame> value) {
    this.handler = value;
    return this;
  }

  @Override
  public void onConnected(PeerConnection connection) {
    connected.add(connection);
  }

  @Override
  public void onMessage(PeerConnection connection, Frame frame) {
    messages.add(frame);
    handler.accept(connection, frame);
  }

  @Override
  public void onDisconnected(PeerConnection connection, Throwable cause) {
    disconnected.add(new Disconnect(connection, cause));
  }

  @Override
  public void onRejected(InetSocketAddress remote, String reason) {
    rejected.add(reason);
  }

  PeerConnection awaitConnected() throws InterruptedException {
    return await(connected, "a connection");
  }

  Disconnect awaitDisconnected() throws InterruptedException {
    return await(disconnected, "a disconnect");
  }

  String awaitRejected() throws InterruptedException {
    return await(rejected, "a rejection");
  }

  Frame awaitMessage() throws InterruptedException {
    return await(messages, "a message");
  }

  private static <T> T await(BlockingQueue<T> queue, String what) throws InterruptedException {
    T value = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(value).as("waited %d s for %s", WAIT_SECONDS, what).isNotNull();
    return value;
  }
}
