package dev.gatehouse.auth.forwardauth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardedHeadersTests {

	@ParameterizedTest
	@ValueSource(strings = { "X-Forwarded-Uri", "X-Forwarded-Host", "X-Forwarded-Method", "X-Forwarded-Proto",
			"x-forwarded-uri" })
	void aRepeatedForwardedHeaderIsAmbiguous(String name) {
		MockHttpServletRequest request = forwarded();
		request.addHeader(name, "/private");
		assertThat(ForwardedHeaders.repeated(request)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "Cookie", "X-Forwarded-For", "Accept" })
	void otherHeadersMayRepeat(String name) {
		MockHttpServletRequest request = forwarded();
		request.addHeader(name, "a");
		request.addHeader(name, "b");
		assertThat(ForwardedHeaders.repeated(request)).isFalse();
	}

	@Test
	void eachForwardedHeaderOnceIsFine() {
		assertThat(ForwardedHeaders.repeated(forwarded())).isFalse();
		assertThat(ForwardedHeaders.repeated(new MockHttpServletRequest())).isFalse();
	}

	private static MockHttpServletRequest forwarded() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/internal/auth");
		request.addHeader("X-Forwarded-Uri", "/public");
		request.addHeader("X-Forwarded-Host", "files.example.org");
		request.addHeader("X-Forwarded-Method", "GET");
		request.addHeader("X-Forwarded-Proto", "https");
		return request;
	}

}
