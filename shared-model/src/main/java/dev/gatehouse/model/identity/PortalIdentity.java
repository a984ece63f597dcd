package dev.gatehouse.model.identity;

import java.util.Objects;

/**
 * The public projection of the portal's default identity, as rendered into app headers.
 *
 * @param id the identity id (an encoding of its public key's hash)
 * @param shortId the first characters of the id
 * @param domain the portal's domain
 * @param publicKeyPem the public key in PEM form
 * @param name the identity's display name
 * @param email the identity's e-mail address, empty when it has none
 */
public record PortalIdentity(String id, String shortId, String domain, String publicKeyPem, String name, String email) {

	public PortalIdentity {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(shortId, "shortId");
		Objects.requireNonNull(domain, "domain");
		Objects.requireNonNull(publicKeyPem, "publicKeyPem");
		Objects.requireNonNull(name, "name");
		email = (email != null) ? email : "";
	}

	/** How many characters of an identity id make its short id. */
	public static final int SHORT_ID_LENGTH = 6;

	/**
	 * The short id of an identity id.
	 * @param id an identity id
	 * @return its first {@value #SHORT_ID_LENGTH} characters
	 */
	public static String shortIdOf(String id) {
		return id.substring(0, Math.min(SHORT_ID_LENGTH, id.length()));
	}

}
