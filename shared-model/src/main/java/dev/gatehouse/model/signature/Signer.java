package dev.gatehouse.model.signature;

import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.gatehouse.model.signature.StructuredField.BareItem;
import dev.gatehouse.model.signature.StructuredField.BytesItem;
import dev.gatehouse.model.signature.StructuredField.InnerList;
import dev.gatehouse.model.signature.StructuredField.IntegerItem;
import dev.gatehouse.model.signature.StructuredField.Item;
import dev.gatehouse.model.signature.StructuredField.StringItem;

/**
 * Signs requests (RFC 9421) with one private key: Gatehouse's own outbound calls to peers, and tests. The
 * signature base is built by the same code the verifier uses. Parameters are written in the order
 * {@code created}, {@code expires}, {@code keyid}, {@code alg}, {@code nonce}, and {@code alg} is always
 * written. Thread-safe.
 */
public final class Signer {

	private final String keyId;

	private final PrivateKey privateKey;

	private final SignatureAlgorithm algorithm;

	/**
	 * A signer.
	 * @param keyId the {@code keyid} the verifier knows the public key by
	 * @param privateKey the private key
	 * @param algorithm the algorithm, which the key {@linkplain SignatureAlgorithm#fits fits}
	 */
	public Signer(String keyId, PrivateKey privateKey, SignatureAlgorithm algorithm) {
		this.keyId = Objects.requireNonNull(keyId, "keyId");
		this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
		this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
		if (!algorithm.fits(privateKey)) {
			throw new IllegalArgumentException("a %s key cannot make %s signatures".formatted(privateKey.getAlgorithm(),
					algorithm.id()));
		}
	}

	/**
	 * Signs a request.
	 * @param request the request
	 * @param label the signature's label, an RFC 8941 key such as {@code sig}
	 * @param components the covered components in order: a name ({@code @method}, {@code content-digest}) or
	 * a serialized identifier with parameters ({@code "@query-param";name="id"}, {@code "priority";sf})
	 * @param created the creation time (whole seconds are signed)
	 * @param expires the expiry time, or {@code null} for none
	 * @param nonce a nonce, or {@code null} for none
	 * @return the {@code Signature-Input} and {@code Signature} values
	 * @throws IllegalArgumentException when a component cannot be covered (say, an absent field)
	 */
	public SignatureHeaders sign(SignedRequest request, String label, List<String> components, Instant created,
			Instant expires, String nonce) {
		if (!StructuredField.isKey(label)) {
			throw new IllegalArgumentException("a label must be a structured-field key: " + label);
		}
		List<Item> covered = new ArrayList<>(components.size());
		for (String component : components) {
			covered.add(componentIdentifier(component));
		}
		Map<String, BareItem> parameters = new LinkedHashMap<>();
		parameters.put("created", new IntegerItem(created.getEpochSecond()));
		if (expires != null) {
			parameters.put("expires", new IntegerItem(expires.getEpochSecond()));
		}
		parameters.put("keyid", new StringItem(this.keyId));
		parameters.put("alg", new StringItem(this.algorithm.id()));
		if (nonce != null) {
			parameters.put("nonce", new StringItem(nonce));
		}
		InnerList signatureParams = new InnerList(List.copyOf(covered), parameters);
		byte[] base;
		try {
			base = SignatureBase.build(request, signatureParams);
		}
		catch (Refusal refusal) {
			throw new IllegalArgumentException("cannot sign: " + refusal.getMessage());
		}
		byte[] signature = this.algorithm.sign(this.privateKey, base);
		return new SignatureHeaders(label + "=" + StructuredField.serializeMember(signatureParams),
				label + "=" + StructuredField.serializeMember(new Item(new BytesItem(signature), Map.of())));
	}

	private static Item componentIdentifier(String component) {
		if (component.startsWith("\"")) {
			return StructuredFieldParser.parseItem(component)
				.filter((item) -> item.value() instanceof StringItem)
				.orElseThrow(() -> new IllegalArgumentException("not a component identifier: " + component));
		}
		if (!SignatureBase.isComponentName(component)) {
			throw new IllegalArgumentException("not a component name: " + component);
		}
		return new Item(new StringItem(component), Map.of());
	}

	@Override
	public String toString() {
		return "Signer[" + this.keyId + ", " + this.algorithm.id() + "]";
	}

}
