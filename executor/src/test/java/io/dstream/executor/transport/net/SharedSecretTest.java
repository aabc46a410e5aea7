package io.dstream.executor.transport.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SharedSecretTest {
  private final byte[] serverNonce = SharedSecret.newNonce();
  private final byte[] clientNonce = SharedSecret.newNonce();

  @Test
  void sameSecretGivesSameProof() {
    byte[] one = SharedSecret.of("s3cret").clientProof(serverNonce, clientNonce, "w1");
    byte[] two = SharedSecret.of("s3cret").clientProof(serverNonce, clientNonce, "w1");

    assertThat(one).hasSize(SharedSecret.PROOF_BYTES);
    assertThat(SharedSecret.proofMatches(one, two)).isTrue();
  }

  @Test
  void proofDependsOnSecretNoncesClientIdAndDirection() {
    SharedSecret secret = SharedSecret.of("s3cret");
    byte[] proof = secret.clientProof(serverNonce, clientNonce, "w1");

    assertThat(SharedSecret.proofMatches(proof, SharedSecret.of("other").clientProof(serverNonce, clientNonce, "w1"))).isFalse();
    assertThat(SharedSecret.proofMatches(proof, secret.clientProof(SharedSecret.newNonce(), clientNonce, "w1"))).isFalse();
    assertThat(SharedSecret.proofMatches(proof, secret.clientProof(serverNonce, clientNonce, "w2"))).isFalse();
    assertThat(SharedSecret.proofMatches(proof, secret.serverProof(clientNonce, serverNonce, "w1"))).isFalse();
  }

  @Test
  void noncesAreFreshAndFullLength() {
    assertThat(serverNonce).hasSize(SharedSecret.NONCE_BYTES).isNotEqualTo(clientNonce);
  }

  @Test
  void secretIsNeitherEmptyNorPrinted() {
    assertThatThrownBy(() -> SharedSecret.of("")).isInstanceOf(IllegalArgumentException.class);
    assertThat(SharedSecret.of("s3cret").toString()).doesNotContain("s3cret");
  }
}
