package dev.gatehouse.model.signature;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.gatehouse.model.signature.Verification.Verified;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SignerTests {

	private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

	private static final SignatureVerifier VERIFIER = new SignatureVerifier(
			VerificationPolicy.of(Duration.ofMinutes(5), Duration.ofSeconds(5)));

	private final SignedRequest request = SignedRequest.of("POST", "https://Files.Peer.Example:443/a/b%20c?x=1&y=caf%C3%A9",
			SignatureFixtures.fields("Content-Type", "text/plain", "Priority", "u=1,  i"));

	@Test
	void signatureInputListsTheComponentsAndParametersInOrder() {
		Signer signer = new Signer("peer-ed", SignatureFixtures.rfcPrivateKey(SignatureFixtures.ED25519),
				SignatureAlgorithm.ED25519);
		SignatureHeaders headers = signer.sign(this.request, "sig",
				List.of("@method", "@authority", "@target-uri", "\"@query-param\";name=\"y\"", "\"priority\";sf"), NOW,
				NOW.plusSeconds(60), "n-1");
		assertThat(headers.signatureInput()).isEqualTo("sig=(\"@method\" \"@authority\" \"@target-uri\" "
				+ "\"@query-param\";name=\"y\" \"priority\";sf);created=1795867200;expires=1795867260;keyid=\"peer-ed\";"
				+ "alg=\"ed25519\";nonce=\"n-1\"");
		assertThat(headers.signature()).startsWith("sig=:").endsWith(":").hasSize(5 + 88 + 1);
	}

	@Test
	void anOutboundSignatureVerifiesFromTheForwardedPiecesTheAuthTierSees() {
		Signer signer = new Signer(SignatureFixtures.ED25519, SignatureFixtures.rfcPrivateKey(SignatureFixtures.ED25519),
				SignatureAlgorithm.ED25519);
		SignatureHeaders headers = signer.sign(
				SignedRequest.of("GET", "https://demo.peer.example/private/a%2Fb?q=1", HeaderFields.none()), "sig",
				VerificationPolicy.MINIMUM_COMPONENTS, NOW, null, "n");
		// X-Forwarded-Method, -Proto, -Host (with the default port, in another case) and -Uri
		SignedRequest forwarded = SignedRequest.of("GET", "HTTPS", "Demo.Peer.Example:443", "/private/a%2Fb?q=1",
				SignatureFixtures.fields("Signature-Input", headers.signatureInput(), "Signature", headers.signature()));
		assertThat(VERIFIER.verify(forwarded, null, SignatureFixtures.rfcKeys(), NOW)).isInstanceOf(Verified.class);
		SignedRequest decoded = SignedRequest.of("GET", "https", "demo.peer.example", "/private/a/b?q=1",
				SignatureFixtures.fields("Signature-Input", headers.signatureInput(), "Signature", headers.signature()));
		assertThat(VERIFIER.verify(decoded, null, SignatureFixtures.rfcKeys(), NOW))
			.isInstanceOfSatisfying(Verification.Refused.class,
					(refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.INVALID_SIGNATURE));
	}

	@Test
	void everyAlgorithmSignsWhatTheVerifierAccepts() throws GeneralSecurityException {
		KeyPairGenerator p256 = KeyPairGenerator.getInstance("EC");
		p256.initialize(new ECGenParameterSpec("secp256r1"));
		assertRoundTrip(KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), SignatureAlgorithm.ED25519);
		assertRoundTrip(p256.generateKeyPair(), SignatureAlgorithm.ECDSA_P256_SHA256);
		KeyPair rsa = new KeyPair(SignatureFixtures.rfcKey(SignatureFixtures.RSA).publicKey(),
				SignatureFixtures.rfcPrivateKey(SignatureFixtures.RSA));
		assertRoundTrip(rsa, SignatureAlgorithm.RSA_PSS_SHA512);
		assertRoundTrip(rsa, SignatureAlgorithm.RSA_V1_5_SHA256);
	}

	@Test
	void rsaPssSignaturesAreRandomizedAndEachVerifies() {
		Signer signer = new Signer(SignatureFixtures.RSA_PSS, SignatureFixtures.rfcPrivateKey(SignatureFixtures.RSA_PSS),
				SignatureAlgorithm.RSA_PSS_SHA512);
		SignatureHeaders first = signer.sign(this.request, "sig", VerificationPolicy.MINIMUM_COMPONENTS, NOW, null, null);
		SignatureHeaders second = signer.sign(this.request, "sig", VerificationPolicy.MINIMUM_COMPONENTS, NOW, null, null);
		assertThat(first.signature()).isNotEqualTo(second.signature());
		assertThat(VERIFIER.verify(signed(first), null, SignatureFixtures.rfcKeys(), NOW)).isInstanceOf(Verified.class);
		assertThat(VERIFIER.verify(signed(second), null, SignatureFixtures.rfcKeys(), NOW)).isInstanceOf(Verified.class);
	}

	@Test
	void whatCannotBeCoveredIsRefusedWhenSigning() {
		Signer signer = new Signer("peer-ed", SignatureFixtures.rfcPrivateKey(SignatureFixtures.ED25519),
				SignatureAlgorithm.ED25519);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> signer.sign(this.request, "sig", List.of("@method", "x-absent"), NOW, null, null))
			.withMessageContaining("x-absent");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> signer.sign(this.request, "sig", List.of("@status"), NOW, null, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> signer.sign(this.request, "sig", List.of("Content-Type"), NOW, null, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> signer.sign(this.request, "sig", List.of("\"@method", "@path"), NOW, null, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> signer.sign(this.request, "Sig", List.of("@method"), NOW, null, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> signer.sign(this.request, "sig", List.of("@method"), NOW, null, "caf\u00e9"));
	}

	@Test
	void aSignerNeedsAKeyThatFitsItsAlgorithm() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Signer("k",
				SignatureFixtures.rfcPrivateKey(SignatureFixtures.ED25519), SignatureAlgorithm.RSA_PSS_SHA512));
		assertThatIllegalArgumentException().isThrownBy(() -> new Signer("k",
				SignatureFixtures.rfcPrivateKey(SignatureFixtures.RSA_PSS), SignatureAlgorithm.ECDSA_P256_SHA256));
	}

	private void assertRoundTrip(KeyPair keys, SignatureAlgorithm algorithm) {
		Signer signer = new Signer("k", keys.getPrivate(), algorithm);
		SignatureHeaders headers = signer.sign(this.request, "sig", VerificationPolicy.MINIMUM_COMPONENTS, NOW, null, "n");
		PeerKey key = new PeerKey(keys.getPublic(), algorithm);
		assertThat(VERIFIER.verify(signed(headers), null, (keyId) -> Optional.of(key), NOW)).as(algorithm.id())
			.isEqualTo(new Verified("k", "sig", Optional.of("n"), NOW, Optional.empty()));
	}

	private SignedRequest signed(SignatureHeaders headers) {
		HeaderFields fields = (name) -> switch (name) {
			case "signature-input" -> List.of(headers.signatureInput());
			case "signature" -> List.of(headers.signature());
			default -> this.request.fields().values(name);
		};
		return new SignedRequest(this.request.method(), this.request.scheme(), this.request.authority(),
				this.request.path(), this.request.query(), fields);
	}

}
