package dev.gatehouse.model.signature;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import dev.gatehouse.model.signature.StructuredField.BareItem;
import dev.gatehouse.model.signature.StructuredField.BytesItem;
import dev.gatehouse.model.signature.StructuredField.InnerList;
import dev.gatehouse.model.signature.StructuredField.IntegerItem;
import dev.gatehouse.model.signature.StructuredField.Item;
import dev.gatehouse.model.signature.StructuredField.Member;
import dev.gatehouse.model.signature.StructuredField.StringItem;

/**
 * Verifies the HTTP message signatures (RFC 9421) of a request against the keys registered for their
 * {@code keyid}, under a {@link VerificationPolicy}. No I/O: the caller passes the key lookup (a cache) and
 * keeps the replay check of the returned nonce. Thread-safe; one instance serves every request.
 * <p>
 * Per signature, in this order, and the cheap local checks come before the key lookup so that garbage costs
 * no lookup: the parameters have their registered types; the policy's components are covered;
 * {@code created} is present, not in the future beyond the clock skew and not older than the maximum age;
 * {@code expires}, when present, follows {@code created} and has not passed; {@code alg}, when present, names
 * a supported algorithm; the signature base can be built; a key is registered for {@code keyid}; {@code alg},
 * when present, is the key's algorithm; the signature verifies with the key's algorithm.
 * <p>
 * Which signature: when the caller names a label, only that one. Otherwise every label of
 * {@code Signature-Input}, in order (at most {@value #MAX_SIGNATURES}), and the first that passes is the
 * result: any signature that verifies and satisfies the policy admits the request, since the policy, not the
 * signer's choice of label, says what a signature must prove. When none passes, the refusal is the first
 * label's.
 */
public final class SignatureVerifier {

	/** The most signatures one request may carry: each costs a verification. */
	public static final int MAX_SIGNATURES = 8;

	/** The longest {@code Signature-Input} or {@code Signature} (all lines together) read, in chars. */
	public static final int MAX_FIELD_LENGTH = 8192;

	private final String[] requiredComponents;

	private final long maxAgeSeconds;

	private final long skewSeconds;

	/**
	 * A verifier.
	 * @param policy what every accepted signature satisfies
	 */
	public SignatureVerifier(VerificationPolicy policy) {
		this.requiredComponents = policy.requiredComponents().toArray(String[]::new);
		this.maxAgeSeconds = policy.maxAge().toSeconds();
		this.skewSeconds = policy.clockSkew().toSeconds();
	}

	/**
	 * Verifies a request's signature.
	 * @param request the request as its signer addressed it, with its {@code Signature-Input} and
	 * {@code Signature} fields
	 * @param label the label of the signature to verify, or {@code null} for any
	 * @param keys the registered key for a {@code keyid}, empty when there is none; an exception it throws
	 * (say, a cache that cannot load) is not a refusal and propagates
	 * @param now the time to check {@code created} and {@code expires} against
	 * @return the verified signature, or why there is none
	 */
	public Verification verify(SignedRequest request, String label, Function<String, Optional<PeerKey>> keys,
			Instant now) {
		Objects.requireNonNull(request, "request");
		Objects.requireNonNull(keys, "keys");
		Objects.requireNonNull(now, "now");
		Map<String, Member> inputs;
		Map<String, Member> signatures;
		try {
			inputs = dictionary(request.fields().values("signature-input"), "Signature-Input");
			signatures = dictionary(request.fields().values("signature"), "Signature");
		}
		catch (Refusal refusal) {
			return refusal.toRefused();
		}
		if (label != null) {
			if (!inputs.containsKey(label)) {
				return new Verification.Refused(RefusalReason.LABEL_MISMATCH, "no signature labelled " + label);
			}
			return verifyOne(request, label, inputs.get(label), signatures.get(label), keys, now);
		}
		if (inputs.size() > MAX_SIGNATURES) {
			return new Verification.Refused(RefusalReason.PARSE_ERROR,
					"more than %d signatures: %d".formatted(MAX_SIGNATURES, inputs.size()));
		}
		Verification.Refused first = null;
		for (Map.Entry<String, Member> input : inputs.entrySet()) {
			Verification verification = verifyOne(request, input.getKey(), input.getValue(),
					signatures.get(input.getKey()), keys, now);
			if (verification instanceof Verification.Refused refused) {
				first = (first != null) ? first : refused;
			}
			else {
				return verification;
			}
		}
		return (first != null) ? first
				: new Verification.Refused(RefusalReason.MISSING_SIGNATURE, "Signature-Input has no signature");
	}

	private static Map<String, Member> dictionary(List<String> lines, String field) {
		if (lines == null || lines.isEmpty()) {
			throw new Refusal(RefusalReason.MISSING_SIGNATURE, "no " + field + " field");
		}
		int length = 0;
		for (String line : lines) {
			length += line.length() + 2;
			if (length > MAX_FIELD_LENGTH) {
				throw new Refusal(RefusalReason.PARSE_ERROR, field + " is longer than " + MAX_FIELD_LENGTH);
			}
		}
		String value = (lines.size() == 1) ? lines.get(0) : String.join(", ", lines);
		return StructuredFieldParser.parseDictionary(value, true)
			.orElseThrow(() -> new Refusal(RefusalReason.PARSE_ERROR, field + " is not a valid dictionary"));
	}

	private Verification verifyOne(SignedRequest request, String label, Member input, Member signature,
			Function<String, Optional<PeerKey>> keys, Instant now) {
		Checked checked;
		try {
			checked = check(request, label, input, signature, now);
		}
		catch (Refusal refusal) {
			return refusal.toRefused();
		}
		Optional<PeerKey> found = keys.apply(checked.keyId());
		if (found == null || found.isEmpty()) {
			return new Verification.Refused(RefusalReason.UNKNOWN_KEY, "no key registered for keyid " + checked.keyId());
		}
		PeerKey key = found.get();
		if (checked.algorithm() != null && checked.algorithm() != key.algorithm()) {
			return new Verification.Refused(RefusalReason.ALG_MISMATCH, "alg %s is not the key's %s"
				.formatted(checked.algorithm().id(), key.algorithm().id()));
		}
		if (checked.signature().length != key.algorithm().signatureLength(key.publicKey())) {
			return new Verification.Refused(RefusalReason.MALFORMED_SIGNATURE,
					"a %s signature by this key is %d bytes, not %d".formatted(key.algorithm().id(),
							key.algorithm().signatureLength(key.publicKey()), checked.signature().length));
		}
		if (!key.algorithm().verify(key.publicKey(), checked.base(), checked.signature())) {
			return new Verification.Refused(RefusalReason.INVALID_SIGNATURE, "signature " + label + " does not verify");
		}
		return new Verification.Verified(checked.keyId(), label, Optional.ofNullable(checked.nonce()),
				Instant.ofEpochSecond(checked.created()),
				(checked.expires() != null) ? Optional.of(Instant.ofEpochSecond(checked.expires())) : Optional.empty());
	}

	/** Everything that needs no key, in the order the class documents. */
	private Checked check(SignedRequest request, String label, Member input, Member signature, Instant now) {
		if (!(input instanceof InnerList covered)) {
			throw new Refusal(RefusalReason.PARSE_ERROR, "Signature-Input " + label + " is not an inner list");
		}
		if (signature == null) {
			throw new Refusal(RefusalReason.LABEL_MISMATCH, "no Signature for label " + label);
		}
		if (!(signature instanceof Item(BytesItem(byte[] signatureBytes), var signatureParameters))) {
			throw new Refusal(RefusalReason.MALFORMED_SIGNATURE, "Signature " + label + " is not a byte sequence");
		}
		Map<String, BareItem> parameters = covered.parameters();
		Long created = integer(parameters, "created");
		Long expires = integer(parameters, "expires");
		String keyId = string(parameters, "keyid");
		String alg = string(parameters, "alg");
		String nonce = string(parameters, "nonce");
		string(parameters, "tag");
		for (Item component : covered.items()) {
			if (!(component.value() instanceof StringItem)) {
				throw new Refusal(RefusalReason.MALFORMED_PARAMETERS, "a covered component is not a string");
			}
		}
		for (String required : this.requiredComponents) {
			if (!covers(covered, required)) {
				throw new Refusal(RefusalReason.MISSING_REQUIRED_COMPONENT, "signature does not cover " + required);
			}
		}
		if (created == null) {
			throw new Refusal(RefusalReason.MISSING_CREATED, "signature has no created parameter");
		}
		long nowSeconds = now.getEpochSecond();
		if (expires != null && expires < created) {
			throw new Refusal(RefusalReason.INVALID_TIME_WINDOW, "expires %d precedes created %d".formatted(expires, created));
		}
		if (created - nowSeconds > this.skewSeconds) {
			throw new Refusal(RefusalReason.CREATED_IN_FUTURE, "created %d is after %d".formatted(created, nowSeconds));
		}
		if (nowSeconds - created > this.maxAgeSeconds) {
			throw new Refusal(RefusalReason.TOO_OLD, "created %d is more than %ds before %d"
				.formatted(created, this.maxAgeSeconds, nowSeconds));
		}
		if (expires != null && nowSeconds - expires >= this.skewSeconds) {
			throw new Refusal(RefusalReason.EXPIRED, "expired at %d, now %d".formatted(expires, nowSeconds));
		}
		SignatureAlgorithm algorithm = null;
		if (alg != null) {
			algorithm = SignatureAlgorithm.byId(alg)
				.orElseThrow(() -> new Refusal(RefusalReason.UNSUPPORTED_ALG, "unsupported alg " + alg));
		}
		if (keyId == null) {
			throw new Refusal(RefusalReason.UNKNOWN_KEY, "signature has no keyid");
		}
		byte[] base = SignatureBase.build(request, covered);
		return new Checked(keyId, algorithm, nonce, created, expires, base, signatureBytes);
	}

	private static boolean covers(InnerList covered, String name) {
		for (Item component : covered.items()) {
			if (component.value() instanceof StringItem(String covers) && covers.equals(name)
					&& !component.parameters().containsKey("key") && !component.parameters().containsKey("name")) {
				return true;
			}
		}
		return false;
	}

	private static Long integer(Map<String, BareItem> parameters, String name) {
		BareItem value = parameters.get(name);
		if (value == null) {
			return null;
		}
		if (value instanceof IntegerItem(long number)) {
			return number;
		}
		throw new Refusal(RefusalReason.MALFORMED_PARAMETERS, name + " is not an integer");
	}

	private static String string(Map<String, BareItem> parameters, String name) {
		BareItem value = parameters.get(name);
		if (value == null) {
			return null;
		}
		if (value instanceof StringItem(String string)) {
			return string;
		}
		throw new Refusal(RefusalReason.MALFORMED_PARAMETERS, name + " is not a string");
	}

	private record Checked(String keyId, SignatureAlgorithm algorithm, String nonce, long created, Long expires,
			byte[] base, byte[] signature) {
	}

}
