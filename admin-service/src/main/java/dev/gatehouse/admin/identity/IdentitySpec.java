package dev.gatehouse.admin.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/identities} and {@code PUT /api/identities/{id}}.
 *
 * @param name display name (required, at most 200 characters)
 * @param email contact e-mail (optional)
 * @param description free text (optional, at most 2000 characters)
 */
record IdentitySpec(String name, String email, String description) {

	private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

	List<String> violations() {
		List<String> errors = new ArrayList<>();
		if (this.name == null || this.name.isBlank()) {
			errors.add("name is required");
		}
		else if (this.name.length() > 200 || this.name.chars().anyMatch(Character::isISOControl)) {
			errors.add("name must be at most 200 characters without control characters");
		}
		if (this.email != null && !this.email.isEmpty() && (this.email.length() > 254 || !EMAIL.matcher(this.email).matches())) {
			errors.add("email '%s' is not an e-mail address".formatted(this.email));
		}
		if (this.description != null && this.description.length() > 2000) {
			errors.add("description must be at most 2000 characters");
		}
		return errors;
	}

}
