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
	void literalTemplateKnowsItsExactRenderedLength() {
		assertThat(HeaderTemplate.parse("baz").maxRenderedLength()).isEqualTo(3);
		assertThat(HeaderTemplate.parse("").maxRenderedLength()).isZero();
		assertThat(HeaderTemplate.parse("é").maxRenderedLength()).isEqualTo("UTF-8''%C3%A9".length());
	}

	@Test
	void worstCaseCountsTheMarkerEncodedLiteralsAndEachVariableAtItsLongestEncoded() {
		// the literals "Hi " and "<>" encoded: H, i, %20, %3C, %3E; a 100-char name of 3-byte characters: 900
		assertThat(HeaderTemplate.parse("Hi <{{ auth.client_name }}>").maxRenderedLength()).isEqualTo(7 + 2 + 3 * 3 + 900);
		assertThat(HeaderTemplate.parse("{{ portal.id }}").maxRenderedLength()).isEqualTo(7 + 52);
	}

	@Test
	void worstCaseIsNeverExceededByARenderedAndEncodedValue() {
		HeaderTemplate template = HeaderTemplate.parse("{{ portal.name }} <{{ portal.email }}> {{ auth.client_name }}");
		String longest = "\uffff".repeat(254);
		String rendered = HeaderValueEncoding
			.encode(template.render(variable -> longest.substring(0, variable.maxLength())));
		assertThat(rendered.length()).isLessThanOrEqualTo(template.maxRenderedLength());
	}

	@Test
	void controlCharactersInLiteralsAreNeutralised() {
		assertThat(HeaderTemplate.parse("a\r\nInjected: yes").render(this.values::get)).isEqualTo("a  Injected: yes");
	}

}
