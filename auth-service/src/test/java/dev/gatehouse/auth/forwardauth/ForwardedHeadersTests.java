package dev.gatehouse.auth.forwardauth;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardedHeadersTests {

	@ParameterizedTest
	@ValueSource(strings = { "X-Forwarded-Uri", "X-Forwarded-Host", "X-Forwarded-Method", "X-Forwarded-Proto",
			"x-forwarded-uri" })
	void aRepeatedForwardedHeaderIsAmbiguous(String name) {
		HttpHeaders request = forwarded();
		request.add(name, "/private");
		assertThat(ForwardedHeaders.repeated(request)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "Cookie", "X-Forwarded-For", "Accept" })
	void otherHeadersMayRepeat(String name) {
		HttpHeaders request = forwarded();
		request.add(name, "a");
		request.add(name, "b");
		assertThat(ForwardedHeaders.repeated(request)).isFalse();
	}

	@Test
	void eachForwardedHeaderOnceIsFine() {
		assertThat(ForwardedHeaders.repeated(forwarded())).isFalse();
		assertThat(ForwardedHeaders.repeated(new DefaultHttpHeaders())).isFalse();
	}

	private static HttpHeaders forwarded() {
		HttpHeaders request = new DefaultHttpHeaders();
		request.add("X-Forwarded-Uri", "/public");
		request.add("X-Forwarded-Host", "files.example.org");
		request.add("X-Forwarded-Method", "GET");
		request.add("X-Forwarded-Proto", "https");
		return request;
	}

}
