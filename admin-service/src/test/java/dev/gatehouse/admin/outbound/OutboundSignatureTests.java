package dev.gatehouse.admin.outbound;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gatehouse.model.signature.HeaderFields;
import dev.gatehouse.model.signature.PeerKey;
import dev.gatehouse.model.signature.RefusalReason;
import dev.gatehouse.model.signature.SignatureAlgorithm;
import dev.gatehouse.model.signature.SignatureVerifier;
import dev.gatehouse.model.signature.SignedRequest;
import dev.gatehouse.model.signature.Signer;
import dev.gatehouse.model.signature.Verification;
import dev.gatehouse.model.signature.VerificationPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundSignatureTests {

	private static final Instant NOW = Instant.parse("2026-11-28T12:00:00.750Z");

	private static final KeyPair KEYS = ed25519();

	private static final Signer SIGNER = new Signer("abcdef", KEYS.getPrivate(), SignatureAlgorithm.ED25519);

	private static final SignatureVerifier VERIFIER = new SignatureVerifier(VerificationPolicy.of(Duration.ofMinutes(1),
			Duration.ofSeconds(5)));

	@Test
	void contentDigestIsRfc9530s() {
		// RFC 9530 §2, the example body {"hello": "world"}
		assertThat(OutboundSignature.contentDigest("{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
	}

	@Test
	void aCallWithoutBodyCoversTheMethodAndTheWholeTarget() {
		URI uri = URI.create("https://inbox.bob.example.org/messages?since=3");
		Map<String, String> fields = OutboundSignature.fields(SIGNER, "GET", uri, new byte[0], NOW);
		assertThat(fields).containsOnlyKeys("Signature-Input", "Signature");
		assertThat(fields.get("Signature-Input")).startsWith("sig1=(\"@method\" \"@authority\" \"@target-uri\")"
				+ ";created=1795867200;expires=1795867260;keyid=\"abcdef\";alg=\"ed25519\";nonce=\"");
		assertThat(verify("GET", uri.toString(), fields, VERIFIER)).isInstanceOf(Verification.Verified.class);
		assertThat(verify("POST", uri.toString(), fields, VERIFIER)).as("another method")
			.isInstanceOfSatisfying(Verification.Refused.class,
					refused -> assertThat(refused.reason()).isEqualTo(RefusalReason.INVALID_SIGNATURE));
		assertThat(verify("GET", "https://inbox.bob.example.org/messages?since=4", fields, VERIFIER)).as("another query")
			.isInstanceOf(Verification.Refused.class);
	}

	@Test
	void aCallWithABodyCoversItsDigest() {
		byte[] body = "{\"text\": \"hi\"}".getBytes(StandardCharsets.UTF_8);
		URI uri = URI.create("http://127.0.0.1:8080/inbox/echo");
		Map<String, String> fields = OutboundSignature.fields(SIGNER, "POST", uri, body, NOW);
		assertThat(fields).containsEntry("Content-Digest", OutboundSignature.contentDigest(body));
		SignatureVerifier digestRequired = new SignatureVerifier(
				VerificationPolicy.of(Duration.ofMinutes(1), Duration.ofSeconds(5))
					.withRequiredComponents(List.of("@method", "@authority", "@target-uri", "content-digest")));
		assertThat(verify("POST", uri.toString(), fields, digestRequired)).isInstanceOf(Verification.Verified.class);
		Map<String, String> otherBody = new HashMap<>(fields);
		otherBody.put("Content-Digest", OutboundSignature.contentDigest("{}".getBytes(StandardCharsets.UTF_8)));
		assertThat(verify("POST", uri.toString(), otherBody, digestRequired)).isInstanceOf(Verification.Refused.class);
	}

	@Test
	void everyCallHasItsOwnNonce() {
		URI uri = URI.create("https://inbox.bob.example.org/");
		assertThat(OutboundSignature.fields(SIGNER, "GET", uri, new byte[0], NOW).get("Signature-Input"))
			.isNotEqualTo(OutboundSignature.fields(SIGNER, "GET", uri, new byte[0], NOW).get("Signature-Input"));
	}

	private static Verification verify(String method, String uri, Map<String, String> fields, SignatureVerifier verifier) {
		Map<String, List<String>> lines = new HashMap<>();
		fields.forEach((name, value) -> lines.put(name, List.of(value)));
		PeerKey key = new PeerKey(KEYS.getPublic(), SignatureAlgorithm.ED25519);
		return verifier.verify(SignedRequest.of(method, uri, HeaderFields.of(lines)), null,
				keyId -> keyId.equals("abcdef") ? Optional.of(key) : Optional.empty(), NOW.plusSeconds(2));
	}

	private static KeyPair ed25519() {
		try {
			return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
