package io.dstream.executor.transport.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;

/**
 * A protocol peer on a plain blocking socket, for sending what a well-behaved client never
 * would. Reads time out after 5 s, so a test cannot hang on it.
 */
final class RawPeer implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  RawPeer(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(5_000);
    socket.setTcpNoDelay(true);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new DataOutputStream(socket.getOutputStream());
  }

  static RawPeer connect(int port) throws IOException {
    return new RawPeer(new Socket("127.0.0.1", port));
  }

  /** Connects and authenticates as a well-behaved client would. */
  static RawPeer authenticated(int port, String clientId, SharedSecret secret) throws IOException {
    RawPeer peer = connect(port);
    byte[] clientNonce = SharedSecret.newNonce();
    peer.writeFrame(MessageType.HELLO, 0, HandshakeMessages.hello(clientId, clientNonce));
    Frame challenge = peer.readFrame();
    assertThat(challenge.type()).isEqualTo(MessageType.CHALLENGE);
    peer.writeFrame(MessageType.AUTH, 0, secret.clientProof(challenge.payload(), clientNonce, clientId));
    Frame welcome = peer.readFrame();
    assertThat(welcome.type()).isEqualTo(MessageType.WELCOME);
    return peer;
  }

  void writeFrame(MessageType type, long requestId, byte[] payload) throws IOException {
    writeFrame(Frame.MAGIC, Frame.VERSION, type.code(), requestId, payload);
  }

  void writeFrame(int magic, int version, int type, long requestId, byte[] payload) throws IOException {
    out.writeInt(Frame.HEADER_BYTES + payload.length);
    out.writeByte(magic);
    out.writeByte(version);
    out.writeByte(type);
    out.writeLong(requestId);
    out.write(payload);
    out.flush();
  }

  void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void writeInt(int value) throws IOException {
    out.writeInt(value);
    out.flush();
  }

  Frame readFrame() throws IOException {
    int length = in.readInt();
    assertThat(in.readUnsignedByte()).isEqualTo(Frame.MAGIC);
    assertThat(in.readUnsignedByte()).isEqualTo(Frame.VERSION);
    MessageType type = MessageType.forCode(in.readUnsignedByte()).orElseThrow();
    long requestId = in.readLong();
    byte[] payload = new byte[length - Frame.HEADER_BYTES];
    in.readFully(payload);
    return new Frame(type, requestId, payload);
  }

  /** Reads frames until the other side closes; returns the last REJECT reason, or null. */
  String readUntilClosed() throws IOException {
    String reason = null;
    while (true) {
      Frame frame;
      try {
        frame = readFrame();
      } catch (EOFException | SocketException e) {
        return reason;
      }
      if (frame.type() == MessageType.REJECT) {
        reason = HandshakeMessages.parseReject(frame.payload());
      }
    }
  }

  /** Closes with a TCP reset instead of an orderly shutdown, as a killed process would. */
  void abort() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
