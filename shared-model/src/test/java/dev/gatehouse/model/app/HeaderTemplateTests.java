package dev.gatehouse.model.app;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HeaderTemplateTests {

	private final Map<TemplateVariable, String> values = Map.of(TemplateVariable.AUTH_CLIENT_NAME, "Pixel",
			TemplateVariable.PORTAL_SHORT_ID, "abc123", TemplateVariable.PORTAL_PUBLIC_KEY_PEM,
			"-----BEGIN PUBLIC KEY-----\nMCow\n-----END PUBLIC KEY-----\n");

	@Test
	void literalTemplateRendersAsItself() {
		assertThat(HeaderTemplate.parse("baz").render(this.values::get)).isEqualTo("baz");
	}

	@Test
	void variablesWithOrWithoutSpacesAreReplaced() {
		HeaderTemplate template = HeaderTemplate.parse("Hi {{ auth.client_name }} at {{portal.short_id}}!");
		assertThat(template.render(this.values::get)).isEqualTo("Hi Pixel at abc123!");
	}

	@Test
	void multiLineValuesCannotSplitTheHeader() {
		String rendered = HeaderTemplate.parse("{{ portal.public_key_pem }}").render(this.values::get);
		assertThat(rendered).doesNotContain("\n", "\r")
			.isEqualTo("-----BEGIN PUBLIC KEY----- MCow -----END PUBLIC KEY----- ");
	}

	@Test
	void unknownVariableIsRejectedWithItsName() {
		assertThatIllegalArgumentException().isThrownBy(() -> HeaderTemplate.parse("{{ auth.password }}"))
			.withMessageContaining("auth.password");
	}

	@Test
	void unclosedPlaceholderIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> HeaderTemplate.parse("x {{ auth.client_id"))
			.withMessageContaining("unclosed");
	}

	@Test
	void controlCharactersInLiteralsAreNeutralised() {
		assertThat(HeaderTemplate.parse("a\r\nInjected: yes").render(this.values::get)).isEqualTo("a  Injected: yes");
	}

}
