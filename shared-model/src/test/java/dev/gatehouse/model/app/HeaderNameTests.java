package dev.gatehouse.model.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderNameTests {

	@Test
	void tokensAreAccepted() {
		assertThat(HeaderName.isToken("X-Ptl-Foo")).isTrue();
	}

	@Test
	void separatorsAndEmptyNamesAreRejected() {
		assertThat(HeaderName.isToken("X Ptl")).isFalse();
		assertThat(HeaderName.isToken("X-Ptl:")).isFalse();
		assertThat(HeaderName.isToken("")).isFalse();
	}

	@Test
	void appRulesMayOnlySetHeadersUnderTheGatehousePrefix() {
		assertThat(HeaderName.hasAppPrefix("X-Ptl-Foo")).isTrue();
		assertThat(HeaderName.hasAppPrefix("x-ptl-foo")).isTrue();
		assertThat(HeaderName.hasAppPrefix("Content-Length")).isFalse();
		assertThat(HeaderName.hasAppPrefix("Transfer-Encoding")).isFalse();
		assertThat(HeaderName.hasAppPrefix("X-Ptl-")).isFalse();
		assertThat(HeaderName.hasAppPrefix("X-Ptlfoo")).isFalse();
	}

	@Test
	void identityHeadersAreReservedInAnyCase() {
		assertThat(HeaderName.isReserved("x-PTL-client-id")).isTrue();
		assertThat(HeaderName.isReserved("X-Ptl-Foo")).isFalse();
	}

}
