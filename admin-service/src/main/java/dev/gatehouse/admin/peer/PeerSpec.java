package dev.gatehouse.admin.peer;

import dev.gatehouse.admin.config.SpecViolations;
import dev.gatehouse.model.app.TemplateVariable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code PUT /api/peers/{id}}; named like an identity's fields. Its rules are Bean Validation
 * constraints, checked with the id's by {@link PeerService} (every violation in one 422).
 *
 * @param name what to call the peer (its {@code X-Ptl-Client-Name}); required
 * @param publicKeyPem its public key; when absent, the admin fetches it from the peer's identity document
 * @param domain the peer's portal domain; required
 */
record PeerSpec(
		@NotBlank(message = "name is required")
		@Size(max = TemplateVariable.CLIENT_NAME_LENGTH, message = NAME_RULE)
		@Pattern(regexp = SpecViolations.NO_CONTROL_CHARACTERS, message = NAME_RULE) String name,
		@Size(max = MAX_PEM_LENGTH, message = "public_key_pem must be at most {max} characters") String publicKeyPem,
		@NotNull(message = DOMAIN_RULE)
		@Pattern(regexp = "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+",
				message = DOMAIN_RULE) String domain) {

	static final int MAX_PEM_LENGTH = 4096;

	private static final String NAME_RULE = "name must be at most " + TemplateVariable.CLIENT_NAME_LENGTH
			+ " characters without control characters";

	/** A lower-case ASCII DNS name. */
	private static final String DOMAIN_RULE = "domain must be a lower-case DNS name such as abc123.example.org";

}
