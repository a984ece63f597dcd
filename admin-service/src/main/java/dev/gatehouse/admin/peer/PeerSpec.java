package dev.gatehouse.admin.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.gatehouse.model.app.TemplateVariable;

/**
 * The body of {@code PUT /api/peers/{id}}; named like an identity's fields.
 *
 * @param name what to call the peer (its {@code X-Ptl-Client-Name}); required
 * @param publicKeyPem its public key; when absent, the admin fetches it from the peer's identity document
 * @param domain the peer's portal domain; required
 */
record PeerSpec(String name, String publicKeyPem, String domain) {

	/** A lower-case ASCII DNS name. */
	private static final Pattern DOMAIN = Pattern
		.compile("(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");

	private static final int MAX_PEM_LENGTH = 4096;

	List<String> violations() {
		List<String> errors = new ArrayList<>();
		int maxName = TemplateVariable.AUTH_CLIENT_NAME.maxLength();
		if (this.name == null || this.name.isBlank()) {
			errors.add("name is required");
		}
		else if (this.name.strip().length() > maxName || this.name.chars().anyMatch(Character::isISOControl)) {
			errors.add("name must be at most %d characters without control characters".formatted(maxName));
		}
		if (this.domain == null || !DOMAIN.matcher(this.domain).matches()) {
			errors.add("domain must be a lower-case DNS name such as abc123.example.org");
		}
		if (this.publicKeyPem != null && this.publicKeyPem.length() > MAX_PEM_LENGTH) {
			errors.add("public_key_pem must be at most %d characters".formatted(MAX_PEM_LENGTH));
		}
		return errors;
	}

}
