package dev.gatehouse.admin.identity;

/**
 * An identity as the admin API shows it; the private key never leaves the database.
 *
 * @param id the identity id
 * @param shortId its first characters
 * @param name display name
 * @param email contact e-mail, or null
 * @param description free text, or null
 * @param isDefault whether apps see this identity
 * @param domain the portal domain of the identity
 * @param publicKeyPem the public key
 */
record IdentityView(String id, String shortId, String name, String email, String description, boolean isDefault,
		String domain, String publicKeyPem) {
}
