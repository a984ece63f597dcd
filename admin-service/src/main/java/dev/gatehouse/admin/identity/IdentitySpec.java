package dev.gatehouse.admin.identity;

import dev.gatehouse.admin.config.SpecViolations;
import dev.gatehouse.model.app.TemplateVariable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/identities} and {@code PUT /api/identities/{id}}; its rules are Bean
 * Validation constraints (checked by {@link SpecViolations}, every violation in one 422).
 *
 * @param name display name (required, at most 200 characters, no control characters)
 * @param email contact e-mail (optional, at most 254 characters, no control characters)
 * @param description free text (optional, at most 2000 characters; line breaks and tabs are the only control
 * characters allowed)
 */
record IdentitySpec(
		@NotBlank(message = "name is required")
		@Size(max = TemplateVariable.PORTAL_NAME_LENGTH, message = NAME_RULE)
		@Pattern(regexp = SpecViolations.NO_CONTROL_CHARACTERS, message = NAME_RULE) String name,
		@Size(max = TemplateVariable.PORTAL_EMAIL_LENGTH, message = "email must be at most {max} characters")
		@Pattern(regexp = SpecViolations.NO_CONTROL_CHARACTERS, message = "email must not contain control characters")
		@Pattern(regexp = "|[^@\\s]+@[^@\\s]+\\.[^@\\s]+",
				message = "email must be an e-mail address such as ada@example.org") String email,
		@Size(max = MAX_DESCRIPTION_LENGTH, message = "description must be at most {max} characters")
		@Pattern(regexp = "[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*",
				message = "description must not contain control characters other than line breaks and tabs") String description) {

	static final int MAX_DESCRIPTION_LENGTH = 2000;

	private static final String NAME_RULE = "name must be at most " + TemplateVariable.PORTAL_NAME_LENGTH
			+ " characters without control characters";

}
