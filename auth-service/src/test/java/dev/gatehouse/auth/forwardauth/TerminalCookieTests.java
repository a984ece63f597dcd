package dev.gatehouse.auth.forwardauth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalCookieTests {

	@Test
	void tokenMayBePrefixedWithBearer() {
		assertThat(TerminalCookie.token("authorization=Bearer%20abc.def.ghi")).isEqualTo("abc.def.ghi");
		assertThat(TerminalCookie.token("authorization=\"Bearer abc.def.ghi\"")).isEqualTo("abc.def.ghi");
		assertThat(TerminalCookie.token("authorization=abc.def.ghi")).isEqualTo("abc.def.ghi");
	}

	@Test
	void tokenIsFoundAmongOtherCookies() {
		assertThat(TerminalCookie.token("theme=dark; authorization=abc; lang=en")).isEqualTo("abc");
	}

	@Test
	void spacesQuotesAndThePrefixInAnyCaseAreTakenOffInTheirOrder() {
		assertThat(TerminalCookie.token("lang=en ;  authorization = \"Bearer%20abc\" ; theme=dark")).isEqualTo("abc");
		assertThat(TerminalCookie.token("a=b;authorization=BEARER abc")).isEqualTo("abc");
		assertThat(TerminalCookie.token("authorization=\" bearer abc \"")).as("a space before the prefix keeps it")
			.isEqualTo("bearer abc");
		assertThat(TerminalCookie.token("authorization=\"Bearer%20\"; x=1")).isNull();
		assertThat(TerminalCookie.token("authorization=Bearer%2; x=0")).isEqualTo("Bearer%2");
	}

	@Test
	void theFirstAuthorizationCookieWithATokenCountsAsAcrossHeaders() {
		assertThat(TerminalCookie.token("authorization=; authorization=abc")).isEqualTo("abc");
		assertThat(TerminalCookie.token(";".repeat(10_000) + "authorization=abc")).isEqualTo("abc");
		assertThat(TerminalCookie.token("theme=dark;authorization")).as("no value at all").isNull();
	}

	@Test
	void similarlyNamedCookiesAreNotTheToken() {
		assertThat(TerminalCookie.token("xauthorization=abc; authorization_old=def")).isNull();
	}

	@Test
	void emptyOrMissingCookieHasNoToken() {
		assertThat(TerminalCookie.token("authorization=")).isNull();
		assertThat(TerminalCookie.token("authorization=Bearer%20")).isNull();
		assertThat(TerminalCookie.token("")).isNull();
	}

}
