package dev.gatehouse.admin.identity;

import io.swagger.v3.oas.annotations.media.Schema;

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
record IdentityView(String id, String shortId, String name, @Schema(types = { "string", "null" }) String email,
		@Schema(types = { "string", "null" }) String description, boolean isDefault, String domain, String publicKeyPem) {
}
