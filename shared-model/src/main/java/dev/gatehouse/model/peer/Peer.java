package dev.gatehouse.model.peer;

import java.util.Objects;

import dev.gatehouse.model.identity.PortalIdentity;

/**
 * Another installation whose signed requests the auth tier admits on {@code peer} paths, as the replicas
 * cache it: under its short id, the {@code keyid} its signatures name.
 *
 * @param id the peer's identity id, or a prefix of it of at least {@value PortalIdentity#SHORT_ID_LENGTH}
 * characters; the SHA-256 fingerprint of its key starts with it
 * @param name the name the admin gave it (its {@code X-Ptl-Client-Name})
 * @param domain the peer's portal domain
 * @param publicKeyPem its public key (X.509 PEM): Ed25519 or RSA
 */
public record Peer(String id, String name, String domain, String publicKeyPem) {

	public Peer {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(domain, "domain");
		Objects.requireNonNull(publicKeyPem, "publicKeyPem");
	}

	/**
	 * The key its signatures name as {@code keyid}.
	 * @return the first characters of the id
	 */
	public String shortId() {
		return PortalIdentity.shortIdOf(this.id);
	}

}
