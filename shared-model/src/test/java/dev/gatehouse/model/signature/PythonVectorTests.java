package dev.gatehouse.model.signature;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gatehouse.model.signature.Verification.Refused;
import dev.gatehouse.model.signature.Verification.Verified;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests signed by the Python reference library {@code http-message-signatures} (the one the original
 * platform uses; {@code signature/python/generate.py} wrote the vectors) verify here under the peer policy,
 * with the key inferred from its PEM as a peer registration would, and fail once their path changes.
 */
class PythonVectorTests {

	private static final SignatureVerifier VERIFIER = new SignatureVerifier(
			VerificationPolicy.of(Duration.ofMinutes(5), Duration.ofSeconds(5)));

	@TestFactory
	List<DynamicTest> requestsSignedByThePythonLibraryVerify() {
		List<DynamicTest> tests = new ArrayList<>();
		for (JsonNode vector : SignatureFixtures.json("python/vectors.json").get("vectors")) {
			tests.add(DynamicTest.dynamicTest(vector.get("name").asString(), () -> check(vector)));
		}
		assertThat(tests).hasSize(3);
		return tests;
	}

	private static void check(JsonNode vector) {
		PeerKey key = PeerKey.fromPem(vector.get("public_key_pem").asString());
		assertThat(key.algorithm().id()).isEqualTo(vector.get("algorithm").asString());
		Map<String, List<String>> fields = new LinkedHashMap<>();
		vector.get("headers")
			.forEach((header) -> fields.computeIfAbsent(header.get(0).asString(), (name) -> new ArrayList<>())
				.add(header.get(1).asString()));
		String keyId = vector.get("keyid").asString();
		Instant created = Instant.ofEpochSecond(vector.get("created").asLong());
		String url = vector.get("url").asString();
		Verification verification = VERIFIER.verify(SignedRequest.of(vector.get("method").asString(), url, HeaderFields.of(fields)),
				null, (id) -> id.equals(keyId) ? Optional.of(key) : Optional.empty(), created.plusSeconds(30));
		assertThat(verification).isInstanceOfSatisfying(Verified.class, (verified) -> {
			assertThat(verified.keyId()).isEqualTo(keyId);
			assertThat(verified.created()).isEqualTo(created);
			assertThat(verified.nonce()).isEqualTo(Optional.ofNullable(vector.get("nonce").asString(null)));
		});
		String changed = url.replaceFirst("(https://[^/]+/)", "$1x");
		assertThat(VERIFIER.verify(SignedRequest.of(vector.get("method").asString(), changed, HeaderFields.of(fields)), null,
				(id) -> Optional.of(key), created.plusSeconds(30)))
			.isInstanceOfSatisfying(Refused.class,
					(refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.INVALID_SIGNATURE));
	}

}
