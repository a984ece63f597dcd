package dev.gatehouse.model.signature;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.GeneralSecurityException;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.gatehouse.model.signature.Verification.Refused;
import dev.gatehouse.model.signature.Verification.Verified;
import org.junit.jupiter.api.Test;

import static dev.gatehouse.model.signature.SignatureFixtures.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The verification policy: required coverage, the freshness window, the key's algorithm over the message's,
 * label selection, bounded input, and that nothing a client sends makes the verifier throw.
 */
class SignatureVerifierTests {

	private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

	private static final Duration MAX_AGE = Duration.ofMinutes(5);

	private static final Duration SKEW = Duration.ofSeconds(5);

	private static final List<String> MINIMUM = VerificationPolicy.MINIMUM_COMPONENTS;

	private static final KeyPair ED25519 = generate("Ed25519");

	private static final KeyPair RSA = generate("RSA");

	private final SignatureVerifier verifier = new SignatureVerifier(VerificationPolicy.of(MAX_AGE, SKEW));

	private final Signer edSigner = new Signer("peer-ed", ED25519.getPrivate(), SignatureAlgorithm.ED25519);

	private final Signer rsaSigner = new Signer("peer-rsa", RSA.getPrivate(), SignatureAlgorithm.RSA_PSS_SHA512);

	private final Map<String, PeerKey> registered = Map.of("peer-ed",
			new PeerKey(ED25519.getPublic(), SignatureAlgorithm.ED25519), "peer-rsa",
			new PeerKey(RSA.getPublic(), SignatureAlgorithm.RSA_PSS_SHA512));

	private final Function<String, Optional<PeerKey>> keys = (keyId) -> Optional.ofNullable(this.registered.get(keyId));

	@Test
	void requestSignedWithARegisteredKeyVerifiesWithItsIdNonceAndTimes() {
		SignedRequest request = signed(this.edSigner, MINIMUM, NOW.minusSeconds(10), NOW.plusSeconds(50), "n-1");
		assertThat(verify(request)).isEqualTo(new Verified("peer-ed", "sig", Optional.of("n-1"), NOW.minusSeconds(10),
				Optional.of(NOW.plusSeconds(50))));
		assertThat(verify(signed(this.rsaSigner, MINIMUM, NOW, null, null)))
			.isEqualTo(new Verified("peer-rsa", "sig", Optional.empty(), NOW, Optional.empty()));
	}

	@Test
	void signatureWithoutARequiredComponentIsRefusedBeforeAnyKeyLookup() {
		AtomicInteger lookups = new AtomicInteger();
		Function<String, Optional<PeerKey>> counting = (keyId) -> {
			lookups.incrementAndGet();
			return this.keys.apply(keyId);
		};
		for (String missing : MINIMUM) {
			List<String> components = MINIMUM.stream().filter((component) -> !component.equals(missing)).toList();
			assertThat(this.verifier.verify(signed(this.edSigner, components, NOW, null, null), null, counting, NOW))
				.as(missing)
				.isEqualTo(new Refused(RefusalReason.MISSING_REQUIRED_COMPONENT, "signature does not cover " + missing));
		}
		assertThat(lookups).hasValue(0);
	}

	@Test
	void aRequiredFieldIsCoveredWholeNotByOneDictionaryMember() {
		SignatureVerifier digestRequired = new SignatureVerifier(VerificationPolicy.of(MAX_AGE, SKEW)
			.withRequiredComponents(List.of("@method", "content-digest")));
		HeaderFields withDigest = fields("Content-Digest", "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
		assertThat(digestRequired.verify(signed(this.edSigner, List.of("@method", "\"content-digest\";sf"), withDigest), null,
				this.keys, NOW))
			.isInstanceOf(Verified.class);
		assertThat(digestRequired.verify(
				signed(this.edSigner, List.of("@method", "\"content-digest\";key=\"sha-256\""), withDigest), null, this.keys, NOW))
			.isInstanceOfSatisfying(Refused.class,
					(refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.MISSING_REQUIRED_COMPONENT));
	}

	@Test
	void createdMayBeAsOldAsTheMaximumAgeAndNoOlder() {
		Instant created = NOW.minus(MAX_AGE);
		assertThat(verify(signed(this.edSigner, MINIMUM, created, null, null))).isInstanceOf(Verified.class);
		assertThat(verify(signed(this.edSigner, MINIMUM, created.minusSeconds(1), null, null)))
			.isInstanceOfSatisfying(Refused.class, (refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.TOO_OLD));
	}

	@Test
	void createdMayBeAheadByTheClockSkewAndNoMore() {
		assertThat(verify(signed(this.edSigner, MINIMUM, NOW.plus(SKEW), null, null))).isInstanceOf(Verified.class);
		assertThat(verify(signed(this.edSigner, MINIMUM, NOW.plus(SKEW).plusSeconds(1), null, null)))
			.isInstanceOfSatisfying(Refused.class,
					(refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.CREATED_IN_FUTURE));
	}

	@Test
	void expiresIsHonouredWithinTheClockSkew() {
		Instant expires = NOW.minus(SKEW).plusSeconds(1);
		assertThat(verify(signed(this.edSigner, MINIMUM, NOW.minusSeconds(60), expires, null))).isInstanceOf(Verified.class);
		assertThat(verify(signed(this.edSigner, MINIMUM, NOW.minusSeconds(60), expires.minusSeconds(1), null)))
			.isInstanceOfSatisfying(Refused.class, (refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.EXPIRED));
		assertThat(verify(signed(this.edSigner, MINIMUM, NOW, NOW.minusSeconds(1), null)))
			.isInstanceOfSatisfying(Refused.class,
					(refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.INVALID_TIME_WINDOW));
	}

	@Test
	void createdIsAlwaysRequired() {
		assertThat(verify(handmade("sig=(\"@method\" \"@authority\" \"@target-uri\");keyid=\"peer-ed\"", "sig=:AAAA:")))
			.isInstanceOfSatisfying(Refused.class, (refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.MISSING_CREATED));
	}

	@Test
	void unknownOrAbsentKeyidIsRefused() {
		SignedRequest unknown = signed(new Signer("someone-else", ED25519.getPrivate(), SignatureAlgorithm.ED25519), MINIMUM,
				NOW, null, null);
		assertThat(verify(unknown)).isEqualTo(new Refused(RefusalReason.UNKNOWN_KEY, "no key registered for keyid someone-else"));
		assertThat(verify(handmade("sig=(\"@method\" \"@authority\" \"@target-uri\");created=" + NOW.getEpochSecond(), "sig=:AAAA:")))
			.isInstanceOfSatisfying(Refused.class, (refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.UNKNOWN_KEY));
	}

	@Test
	void theKeysAlgorithmDecidesAndAnAlgParameterMustMatchIt() {
		SignedRequest request = signed(this.rsaSigner, MINIMUM, NOW, null, null);
		String input = request.fields().values("signature-input").get(0);
		String signature = request.fields().values("signature").get(0);
		// the same RSA key claimed with another alg: refused, the message never chooses the algorithm
		assertThat(verify(withSignature(request, input.replace("rsa-pss-sha512", "rsa-v1_5-sha256"), signature)))
			.isInstanceOfSatisfying(Refused.class, (refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.ALG_MISMATCH));
		assertThat(verify(withSignature(request, input.replace("rsa-pss-sha512", "ed25519"), signature)))
			.isInstanceOfSatisfying(Refused.class, (refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.ALG_MISMATCH));
		// a PKCS#1 v1.5 signature by the registered RSA-PSS key, without alg: verified as RSA-PSS, so invalid
		Signer pkcs1 = new Signer("peer-rsa", RSA.getPrivate(), SignatureAlgorithm.RSA_V1_5_SHA256);
		SignedRequest v15 = signed(pkcs1, MINIMUM, NOW, null, null);
		String v15Input = v15.fields().values("signature-input").get(0).replace(";alg=\"rsa-v1_5-sha256\"", "");
		assertThat(verify(withSignature(v15, v15Input, v15.fields().values("signature").get(0))))
			.isInstanceOfSatisfying(Refused.class, (refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.INVALID_SIGNATURE));
	}

	@Test
	void unsupportedAlgorithmsAreRefused() {
		SignedRequest request = signed(this.edSigner, MINIMUM, NOW, null, null);
		String input = request.fields().values("signature-input").get(0);
		for (String alg : List.of("hmac-sha256", "ecdsa-p384-sha384", "none", "ED25519", "")) {
			assertThat(verify(withSignature(request, input.replace("\"ed25519\"", "\"" + alg + "\""),
					request.fields().values("signature").get(0))))
				.as(alg)
				.isInstanceOfSatisfying(Refused.class,
						(refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.UNSUPPORTED_ALG));
		}
	}

	@Test
	void aWrongKeyOrAChangedSignatureDoesNotVerify() {
		SignedRequest request = signed(this.edSigner, MINIMUM, NOW, null, null);
		KeyPair other = generate("Ed25519");
		assertThat(this.verifier.verify(request, null,
				(keyId) -> Optional.of(new PeerKey(other.getPublic(), SignatureAlgorithm.ED25519)), NOW))
			.isInstanceOfSatisfying(Refused.class,
					(refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.INVALID_SIGNATURE));
		String signature = request.fields().values("signature").get(0);
		String changed = signature.substring(0, 10) + (signature.charAt(10) == 'A' ? 'B' : 'A') + signature.substring(11);
		assertThat(verify(withSignature(request, request.fields().values("signature-input").get(0), changed)))
			.isInstanceOfSatisfying(Refused.class,
					(refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.INVALID_SIGNATURE));
	}

	@Test
	void theNamedLabelIsTheOnlyOneVerified() {
		SignedRequest request = signed(this.edSigner, MINIMUM, NOW, null, null);
		assertThat(this.verifier.verify(request, "sig", this.keys, NOW)).isInstanceOf(Verified.class);
		assertThat(this.verifier.verify(request, "other", this.keys, NOW))
			.isEqualTo(new Refused(RefusalReason.LABEL_MISMATCH, "no signature labelled other"));
	}

	@Test
	void anyOfSeveralSignaturesThatVerifiesAdmitsTheRequest() {
		SignedRequest good = signed(this.edSigner, MINIMUM, NOW, null, "n-good");
		SignedRequest old = signed(this.rsaSigner, MINIMUM, NOW.minus(Duration.ofHours(1)), null, null);
		String input = old.fields().values("signature-input").get(0).replace("sig=", "old=") + ", "
				+ good.fields().values("signature-input").get(0);
		String signature = old.fields().values("signature").get(0).replace("sig=", "old=") + ", "
				+ good.fields().values("signature").get(0);
		assertThat(verify(withSignature(good, input, signature)))
			.isEqualTo(new Verified("peer-ed", "sig", Optional.of("n-good"), NOW, Optional.empty()));
		assertThat(this.verifier.verify(withSignature(good, input, signature), "old", this.keys, NOW))
			.isInstanceOfSatisfying(Refused.class, (refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.TOO_OLD));
	}

	@Test
	void signatureFieldsSplitOverSeveralLinesAreCombined() {
		SignedRequest good = signed(this.edSigner, MINIMUM, NOW, null, null);
		SignedRequest other = signed(this.rsaSigner, MINIMUM, NOW, null, null);
		SignedRequest request = SignedRequest.of("GET", "https", "app.peer.example", "/private/x?y=1",
				fields("Signature-Input", other.fields().values("signature-input").get(0).replace("sig=", "rsa="),
						"Signature-Input", good.fields().values("signature-input").get(0), "Signature",
						good.fields().values("signature").get(0), "Signature",
						other.fields().values("signature").get(0).replace("sig=", "rsa=")));
		assertThat(this.verifier.verify(request, "rsa", this.keys, NOW)).isInstanceOf(Verified.class);
		assertThat(this.verifier.verify(request, "sig", this.keys, NOW)).isInstanceOf(Verified.class);
	}

	@Test
	void malformedOrInconsistentSignatureFieldsAreRefusedWithTheirReason() {
		String input = "sig=(\"@method\" \"@authority\" \"@target-uri\");created=" + NOW.getEpochSecond() + ";keyid=\"peer-ed\"";
		assertThat(reason(SignedRequest.of("GET", "https", "a.example", "/", HeaderFields.none())))
			.isEqualTo(RefusalReason.MISSING_SIGNATURE);
		assertThat(reason(handmade(input, null))).isEqualTo(RefusalReason.MISSING_SIGNATURE);
		assertThat(reason(handmade("sig=(\"@method\"", "sig=:AAAA:"))).isEqualTo(RefusalReason.PARSE_ERROR);
		assertThat(reason(handmade(input + ", " + input, "sig=:AAAA:"))).isEqualTo(RefusalReason.PARSE_ERROR);
		assertThat(reason(handmade(input, "sig=:AAAA:, sig=:AAAB:"))).isEqualTo(RefusalReason.PARSE_ERROR);
		assertThat(reason(handmade(input, "other=:AAAA:"))).isEqualTo(RefusalReason.LABEL_MISMATCH);
		assertThat(reason(handmade("sig=\"@method\";created=1", "sig=:AAAA:"))).isEqualTo(RefusalReason.PARSE_ERROR);
		assertThat(reason(handmade(input, "sig=\"AAAA\""))).isEqualTo(RefusalReason.MALFORMED_SIGNATURE);
		assertThat(reason(handmade(input, "sig=:AAAA:"))).isEqualTo(RefusalReason.MALFORMED_SIGNATURE);
		assertThat(reason(handmade("sig=(\"@method\" \"@authority\" \"@target-uri\");created=\"1\";keyid=\"peer-ed\"", "sig=:AAAA:")))
			.isEqualTo(RefusalReason.MALFORMED_PARAMETERS);
		assertThat(reason(handmade(input.replace("\"peer-ed\"", "peer-ed"), "sig=:AAAA:")))
			.isEqualTo(RefusalReason.MALFORMED_PARAMETERS);
		assertThat(reason(handmade(input.replace("\"@target-uri\"", "\"@target-uri\" date"), "sig=:AAAA:")))
			.isEqualTo(RefusalReason.MALFORMED_PARAMETERS);
		assertThat(reason(handmade(input.replace("\"@method\"", "@method"), "sig=:AAAA:")))
			.isEqualTo(RefusalReason.PARSE_ERROR);
		assertThat(reason(handmade(input.replace("\"@target-uri\"", "\"@target-uri\" \"@method\""), "sig=:AAAA:")))
			.isEqualTo(RefusalReason.DUPLICATE_COMPONENT);
		assertThat(reason(handmade(input.replace("\"@target-uri\"", "\"@target-uri\" \"x-absent\""), "sig=:AAAA:")))
			.isEqualTo(RefusalReason.MISSING_COMPONENT);
	}

	@Test
	void oversizedFieldsAndTooManySignaturesAreRefusedUnread() {
		SignedRequest request = signed(this.edSigner, MINIMUM, NOW, null, null);
		String input = request.fields().values("signature-input").get(0);
		String signature = request.fields().values("signature").get(0);
		String padded = input + ", " + "x=?1, ".repeat(SignatureVerifier.MAX_FIELD_LENGTH / 6) + "y=?1";
		assertThat(reason(withSignature(request, padded, signature))).isEqualTo(RefusalReason.PARSE_ERROR);
		StringBuilder many = new StringBuilder(input);
		for (int i = 0; i < SignatureVerifier.MAX_SIGNATURES; i++) {
			many.append(", s").append(i).append("=()");
		}
		assertThat(reason(withSignature(request, many.toString(), signature))).isEqualTo(RefusalReason.PARSE_ERROR);
		assertThat(this.verifier.verify(withSignature(request, many.toString(), signature), "sig", this.keys, NOW))
			.isInstanceOf(Verified.class);
	}

	@Test
	void aFailingKeyLookupPropagatesInsteadOfPassingForARefusal() {
		SignedRequest request = signed(this.edSigner, MINIMUM, NOW, null, null);
		assertThatIllegalStateException().isThrownBy(() -> this.verifier.verify(request, null, (keyId) -> {
			throw new IllegalStateException("cache unavailable");
		}, NOW));
	}

	@Test
	void truncatedOrCorruptedSignatureFieldsNeverThrowAndNeverVerify() {
		SignedRequest request = signed(this.edSigner, List.of("@method", "@authority", "@target-uri",
				"\"@query-param\";name=\"y\"", "\"content-digest\";sf", "\"content-digest\";key=\"sha-256\""),
				fields("Content-Digest", "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"));
		String input = request.fields().values("signature-input").get(0);
		String signature = request.fields().values("signature").get(0);
		assertThat(verify(request)).isInstanceOf(Verified.class);
		Random random = new Random(421);
		int verified = 0;
		for (int i = 0; i < 3000; i++) {
			String corruptInput = input;
			String corruptSignature = signature;
			switch (i % 4) {
				case 0 -> corruptInput = input.substring(0, random.nextInt(input.length()));
				case 1 -> corruptSignature = signature.substring(0, random.nextInt(signature.length()));
				case 2 -> corruptInput = flip(input, random);
				default -> corruptSignature = flip(signature, random);
			}
			Verification verification = verify(withSignature(request, corruptInput, corruptSignature));
			assertThat(verification).isNotNull();
			if (verification instanceof Verified) {
				verified++;
				// a change can only verify where the canonical form hides it: optional whitespace
				assertThat(corruptInput.replace('\t', ' ')).isEqualTo(input);
			}
		}
		assertThat(verified).isLessThan(10);
	}

	private static String flip(String value, Random random) {
		int index = random.nextInt(value.length());
		char changed = (char) (value.charAt(index) ^ (1 << random.nextInt(8)));
		return value.substring(0, index) + changed + value.substring(index + 1);
	}

	private Verification verify(SignedRequest request) {
		return this.verifier.verify(request, null, this.keys, NOW);
	}

	private RefusalReason reason(SignedRequest request) {
		Verification verification = verify(request);
		assertThat(verification).isInstanceOf(Refused.class);
		return ((Refused) verification).reason();
	}

	private static SignedRequest signed(Signer signer, List<String> components, Instant created, Instant expires,
			String nonce) {
		SignedRequest request = SignedRequest.of("GET", "https", "app.peer.example", "/private/x?y=1", HeaderFields.none());
		SignatureHeaders headers = signer.sign(request, "sig", components, created, expires, nonce);
		return withSignature(request, headers.signatureInput(), headers.signature());
	}

	private static SignedRequest signed(Signer signer, List<String> components, HeaderFields fields) {
		SignedRequest request = SignedRequest.of("GET", "https", "app.peer.example", "/private/x?y=1", fields);
		SignatureHeaders headers = signer.sign(request, "sig", components, NOW, null, null);
		return withSignature(request, headers.signatureInput(), headers.signature());
	}

	/** The request with these signature fields (either may be {@code null}), its other fields kept. */
	private static SignedRequest withSignature(SignedRequest request, String input, String signature) {
		HeaderFields original = request.fields();
		HeaderFields fields = (name) -> switch (name) {
			case "signature-input" -> (input != null) ? List.of(input) : List.of();
			case "signature" -> (signature != null) ? List.of(signature) : List.of();
			default -> original.values(name);
		};
		return new SignedRequest(request.method(), request.scheme(), request.authority(), request.path(),
				request.query(), fields);
	}

	private static SignedRequest handmade(String input, String signature) {
		return withSignature(SignedRequest.of("GET", "https", "app.peer.example", "/private/x?y=1", HeaderFields.none()),
				input, signature);
	}

	private static KeyPair generate(String algorithm) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
			if (algorithm.equals("RSA")) {
				generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4));
			}
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
