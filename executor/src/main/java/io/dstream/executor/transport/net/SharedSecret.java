package io.dstream.executor.transport.net;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret a cluster's driver and workers share; used only as an HMAC-SHA256 key, never sent.
 * Immutable; {@link #toString()} does not reveal it.
 */
public final class SharedSecret {
  static final int NONCE_BYTES = 32;
  static final int PROOF_BYTES = 32;
  private static final String ALGORITHM = "HmacSHA256";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;

  private SharedSecret(byte[] key) {
    if (key.length == 0) {
      throw new IllegalArgumentException("the shared secret is empty");
    }
    this.key = key.clone();
  }

  public static SharedSecret of(String secret) {
    requireNonNull(secret, "secret is null");
    return new SharedSecret(secret.getBytes(StandardCharsets.UTF_8));
  }

  public static SharedSecret of(byte[] secret) {
    requireNonNull(secret, "secret is null");
    return new SharedSecret(secret);
  }

  /** What the client sends in AUTH. */
  byte[] clientProof(byte[] serverNonce, byte[] clientNonce, String clientId) {
    return hmac(serverNonce, clientNonce, clientId.getBytes(StandardCharsets.UTF_8));
  }

  /** What the server sends in WELCOME: the same inputs with the nonces in reverse order. */
  byte[] serverProof(byte[] clientNonce, byte[] serverNonce, String clientId) {
    return hmac(clientNonce, serverNonce, clientId.getBytes(StandardCharsets.UTF_8));
  }

  /** Constant-time comparison, so timing does not reveal how much of a proof was right. */
  static boolean proofMatches(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }

  static byte[] newNonce() {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    return nonce;
  }

  private byte[] hmac(byte[] first, byte[] second, byte[] third) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      mac.update(first);
      mac.update(second);
      mac.update(third);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "SharedSecret[redacted]";
  }
}
