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
	void identityHeadersAreReservedInAnyCase() {
		assertThat(HeaderName.isReserved("x-PTL-client-id")).isTrue();
		assertThat(HeaderName.isReserved("X-Ptl-Foo")).isFalse();
	}

}
