package dev.gatehouse.admin.outbound;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.model.signature.HeaderFields;
import dev.gatehouse.model.signature.SignatureHeaders;
import dev.gatehouse.model.signature.SignedRequest;
import dev.gatehouse.model.signature.Signer;

/**
 * The fields that make a relayed call a signed one (RFC 9421): {@code Signature-Input} and {@code Signature}
 * under the label {@value #LABEL}, covering {@code @method}, {@code @authority} and {@code @target-uri} (the
 * components every Gatehouse peer requires) and, when the call has a body, {@code content-digest}, whose
 * field (RFC 9530, SHA-256) is sent too. {@code created} is now, {@code expires} {@link #VALIDITY} later, and a
 * random {@code nonce} lets the receiver refuse a replay.
 */
final class OutboundSignature {

	static final String LABEL = "sig1";

	/**
	 * How long a signature is valid: a relayed call is sent at once, so this need only cover the receiver's
	 * clock skew and a slow network, and a captured request is useless soon after.
	 */
	static final Duration VALIDITY = Duration.ofSeconds(60);

	private static final List<String> COMPONENTS = List.of("@method", "@authority", "@target-uri");

	private static final SecureRandom RANDOM = new SecureRandom();

	private OutboundSignature() {
	}

	/**
	 * The fields to add to a call.
	 * @param signer the installation's signer
	 * @param method the method
	 * @param uri the absolute URI the call is sent to, exactly as sent
	 * @param body the body, empty for none
	 * @param now the time of signing
	 * @return {@code Content-Digest} (when there is a body), {@code Signature-Input} and {@code Signature}
	 */
	static Map<String, String> fields(Signer signer, String method, URI uri, byte[] body, Instant now) {
		Map<String, String> fields = new LinkedHashMap<>();
		List<String> components = new ArrayList<>(COMPONENTS);
		if (body.length > 0) {
			fields.put("Content-Digest", contentDigest(body));
			components.add("content-digest");
		}
		SignedRequest request = SignedRequest.of(method, uri.toString(),
				HeaderFields.of(Map.of("content-digest", fields.containsKey("Content-Digest")
						? List.of(fields.get("Content-Digest")) : List.of())));
		Instant created = now.truncatedTo(ChronoUnit.SECONDS);
		SignatureHeaders signature = signer.sign(request, LABEL, components, created, created.plus(VALIDITY), nonce());
		fields.put("Signature-Input", signature.signatureInput());
		fields.put("Signature", signature.signature());
		return fields;
	}

	/**
	 * The {@code Content-Digest} value of a body (RFC 9530 §2): its SHA-256 as a structured-field dictionary.
	 * @param body the body
	 * @return e.g. {@code sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:}
	 */
	static String contentDigest(byte[] body) {
		try {
			return "sha-256=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body)) + ":";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("the JDK lacks SHA-256", ex);
		}
	}

	/** 128 random bits, base64url: as unguessable as a nonce needs to be, and a valid structured-field string. */
	private static String nonce() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
