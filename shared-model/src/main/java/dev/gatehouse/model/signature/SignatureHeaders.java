package dev.gatehouse.model.signature;

import java.util.Objects;

/**
 * The two fields a signed request carries (RFC 9421 §4.1, §4.2), each holding one labelled signature.
 *
 * @param signatureInput the {@code Signature-Input} value, e.g. {@code sig=("@method" ...);created=...}
 * @param signature the {@code Signature} value, e.g. {@code sig=:...:}
 */
public record SignatureHeaders(String signatureInput, String signature) {

	public SignatureHeaders {
		Objects.requireNonNull(signatureInput, "signatureInput");
		Objects.requireNonNull(signature, "signature");
	}

}
