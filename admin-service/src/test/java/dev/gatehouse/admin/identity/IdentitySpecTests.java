package dev.gatehouse.admin.identity;

import dev.gatehouse.model.app.TemplateVariable;
import dev.gatehouse.model.identity.PortalIdentity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdentitySpecTests {

	@Test
	void validIdentityHasNoViolations() {
		assertThat(new IdentitySpec("Ada", "ada@example.org", "Line one\r\nLine two\twith a tab").violations()).isEmpty();
		assertThat(new IdentitySpec("山田 太郎", "山田@例え.jp", null).violations()).isEmpty();
	}

	@Test
	void nulInTheDescriptionIsRefusedNamingTheField() {
		assertThat(new IdentitySpec("Ada", null, "a\u0000b").violations()).singleElement()
			.asString()
			.startsWith("description must not contain control characters");
		assertThat(new IdentitySpec("Ada", null, "bell\u0007").violations()).hasSize(1);
	}

	@Test
	void controlCharactersAreRefusedInNameAndEmail() {
		assertThat(new IdentitySpec("A\u0000da", null, null).violations()).singleElement().asString().startsWith("name ");
		assertThat(new IdentitySpec("Ada", "a\u0000@example.org", null).violations()).containsExactly(
				"email must not contain control characters");
	}

	@Test
	void lengthsAreTheBoundsHeaderTemplatesAreCheckedAgainst() {
		String longestName = "n".repeat(TemplateVariable.PORTAL_NAME.maxLength());
		assertThat(new IdentitySpec(longestName, null, null).violations()).isEmpty();
		assertThat(new IdentitySpec(longestName + "n", null, null).violations()).hasSize(1);
		String domain = "@example.org";
		String longestEmail = "a".repeat(TemplateVariable.PORTAL_EMAIL.maxLength() - domain.length()) + domain;
		assertThat(new IdentitySpec("Ada", longestEmail, null).violations()).isEmpty();
		assertThat(new IdentitySpec("Ada", "a" + longestEmail, null).violations()).singleElement()
			.asString()
			.isEqualTo("email is 255 characters long; at most 254 are allowed");
	}

	@Test
	void generatedKeysFitTheBoundsOfTheirTemplateVariables() {
		IdentityKeys keys = IdentityKeys.generate();
		assertThat(keys.id()).hasSize(TemplateVariable.PORTAL_ID.maxLength()).matches("[a-z2-7]+");
		assertThat(PortalIdentity.shortIdOf(keys.id())).hasSize(TemplateVariable.PORTAL_SHORT_ID.maxLength());
		assertThat(keys.publicKeyPem()).hasSize(TemplateVariable.PORTAL_PUBLIC_KEY_PEM.maxLength());
	}

}
