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
		// CGI, WSGI and PHP read '_' as '-': an underscore name could shadow an identity header
		assertThat(HeaderName.hasAppPrefix("X-Ptl-Client_Id")).isFalse();
		assertThat(HeaderName.hasAppPrefix("X-Ptl-Foo.Bar")).isFalse();
	}

	@Test
	void identityHeadersAreReservedInAnyCase() {
		assertThat(HeaderName.isReserved("x-PTL-client-id")).isTrue();
		assertThat(HeaderName.isReserved("X-Ptl-Client_Id")).isTrue();
		assertThat(HeaderName.isReserved("X_Ptl_Client_Type")).isTrue();
		assertThat(HeaderName.isReserved("X-Ptl-Foo")).isFalse();
	}

}
