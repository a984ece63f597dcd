package dev.gatehouse.admin.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.gatehouse.model.app.TemplateVariable;

/**
 * The body of {@code POST /api/identities} and {@code PUT /api/identities/{id}}.
 *
 * @param name display name (required, at most 200 characters, no control characters)
 * @param email contact e-mail (optional, at most 254 characters, no control characters)
 * @param description free text (optional, at most 2000 characters; line breaks and tabs are the only control
 * characters allowed)
 */
record IdentitySpec(String name, String email, String description) {

	/** Header templates render the name, so its bound is the one they are checked against. */
	static final int MAX_NAME_LENGTH = TemplateVariable.PORTAL_NAME.maxLength();

	static final int MAX_EMAIL_LENGTH = TemplateVariable.PORTAL_EMAIL.maxLength();

	static final int MAX_DESCRIPTION_LENGTH = 2000;

	private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

	List<String> violations() {
		List<String> errors = new ArrayList<>();
		if (this.name == null || this.name.isBlank()) {
			errors.add("name is required");
		}
		else if (this.name.length() > MAX_NAME_LENGTH || this.name.chars().anyMatch(Character::isISOControl)) {
			errors.add("name must be at most %d characters without control characters".formatted(MAX_NAME_LENGTH));
		}
		if (this.email != null && !this.email.isEmpty()) {
			if (this.email.chars().anyMatch(Character::isISOControl)) {
				errors.add("email must not contain control characters");
			}
			else if (this.email.length() > MAX_EMAIL_LENGTH) {
				errors.add("email is %d characters long; at most %d are allowed".formatted(this.email.length(),
						MAX_EMAIL_LENGTH));
			}
			else if (!EMAIL.matcher(this.email).matches()) {
				errors.add("email '%s' is not an e-mail address".formatted(this.email));
			}
		}
		if (this.description != null) {
			if (this.description.length() > MAX_DESCRIPTION_LENGTH) {
				errors.add("description must be at most %d characters, not %d".formatted(MAX_DESCRIPTION_LENGTH,
						this.description.length()));
			}
			if (this.description.chars().anyMatch(IdentitySpec::isForbiddenInDescription)) {
				errors.add("description must not contain control characters other than line breaks and tabs");
			}
		}
		return errors;
	}

	private static boolean isForbiddenInDescription(int c) {
		return Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t';
	}

}
