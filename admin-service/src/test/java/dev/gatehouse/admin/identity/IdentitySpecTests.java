package dev.gatehouse.admin.identity;

import java.util.List;

import dev.gatehouse.admin.config.SpecViolations;
import dev.gatehouse.model.app.TemplateVariable;
import dev.gatehouse.model.identity.PortalIdentity;
import jakarta.validation.Validation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdentitySpecTests {

	private static final SpecViolations VIOLATIONS = new SpecViolations(
			Validation.buildDefaultValidatorFactory().getValidator());

	@Test
	void everyViolationIsListedOnceInOrderOfTheFields() {
		assertThat(violations(new IdentitySpec(" ", "no address", "bell\u0007"))).containsExactly(
				"description must not contain control characters other than line breaks and tabs",
				"email must be an e-mail address such as ada@example.org", "name is required");
		assertThat(violations(new IdentitySpec("n\u0000".repeat(200), null, null)))
			.as("two constraints of the name, one sentence")
			.containsExactly("name must be at most 200 characters without control characters");
	}

	@Test
	void validIdentityHasNoViolations() {
		assertThat(violations(new IdentitySpec("Ada", "ada@example.org", "Line one\r\nLine two\twith a tab"))).isEmpty();
		assertThat(violations(new IdentitySpec("山田 太郎", "山田@例え.jp", null))).isEmpty();
	}

	@Test
	void nulInTheDescriptionIsRefusedNamingTheField() {
		assertThat(violations(new IdentitySpec("Ada", null, "a\u0000b"))).singleElement()
			.asString()
			.startsWith("description must not contain control characters");
		assertThat(violations(new IdentitySpec("Ada", null, "bell\u0007"))).hasSize(1);
	}

	@Test
	void controlCharactersAreRefusedInNameAndEmail() {
		assertThat(violations(new IdentitySpec("A\u0000da", null, null))).singleElement().asString().startsWith("name ");
		assertThat(violations(new IdentitySpec("Ada", "a\u0000@example.org", null))).containsExactly(
				"email must not contain control characters");
	}

	@Test
	void lengthsAreTheBoundsHeaderTemplatesAreCheckedAgainst() {
		String longestName = "n".repeat(TemplateVariable.PORTAL_NAME.maxLength());
		assertThat(violations(new IdentitySpec(longestName, null, null))).isEmpty();
		assertThat(violations(new IdentitySpec(longestName + "n", null, null))).hasSize(1);
		String domain = "@example.org";
		String longestEmail = "a".repeat(TemplateVariable.PORTAL_EMAIL.maxLength() - domain.length()) + domain;
		assertThat(violations(new IdentitySpec("Ada", longestEmail, null))).isEmpty();
		assertThat(violations(new IdentitySpec("Ada", "a" + longestEmail, null))).singleElement()
			.asString()
			.isEqualTo("email must be at most 254 characters");
	}

	private static List<String> violations(IdentitySpec spec) {
		return VIOLATIONS.of(spec);
	}

	@Test
	void generatedKeysFitTheBoundsOfTheirTemplateVariables() {
		IdentityKeys keys = IdentityKeys.generate();
		assertThat(keys.id()).hasSize(TemplateVariable.PORTAL_ID.maxLength()).matches("[a-z2-7]+");
		assertThat(PortalIdentity.shortIdOf(keys.id())).hasSize(TemplateVariable.PORTAL_SHORT_ID.maxLength());
		assertThat(keys.publicKeyPem()).hasSize(TemplateVariable.PORTAL_PUBLIC_KEY_PEM.maxLength());
	}

}
