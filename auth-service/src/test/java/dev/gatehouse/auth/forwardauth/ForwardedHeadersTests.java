package dev.gatehouse.auth.forwardauth;

import dev.gatehouse.model.signature.SignedRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardedHeadersTests {

	@ParameterizedTest
	@ValueSource(strings = { "X-Forwarded-Uri", "X-Forwarded-Host", "X-Forwarded-Method", "X-Forwarded-Proto",
			"x-forwarded-uri", "X-FORWARDED-HOST" })
	void aRepeatedForwardedHeaderIsAmbiguous(String name) {
		HttpHeaders request = forwarded();
		request.add(name, "/private");
		assertThat(ForwardedHeaders.read(request).repeated()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "Cookie", "X-Forwarded-For", "Accept", "Signature-Input" })
	void otherHeadersMayRepeat(String name) {
		HttpHeaders request = forwarded();
		request.add(name, "a");
		request.add(name, "b");
		assertThat(ForwardedHeaders.read(request).repeated()).isFalse();
	}

	@Test
	void eachForwardedHeaderOnceIsFine() {
		ForwardedHeaders read = ForwardedHeaders.read(forwarded());
		assertThat(read.repeated()).isFalse();
		assertThat(read.host()).isEqualTo("files.example.org");
		assertThat(read.uri()).isEqualTo("/public");
		assertThat(ForwardedHeaders.read(new DefaultHttpHeaders()).repeated()).isFalse();
	}

	@Test
	void namesAreMatchedInAnyCaseAndNothingElseMatches() {
		HttpHeaders request = new DefaultHttpHeaders();
		request.add("x-forwarded-host", "files.example.org");
		request.add("X-Forwarded-Hosts", "evil.example.org");
		request.add("X-Forwarded-Ur", "/private");
		request.add("X-FORWARDED-URI", "/public");
		ForwardedHeaders read = ForwardedHeaders.read(request);
		assertThat(read.host()).isEqualTo("files.example.org");
		assertThat(read.uri()).isEqualTo("/public");
		assertThat(read.repeated()).isFalse();
	}

	@Test
	void theTokenIsTheFirstAuthorizationCookieInAnyCookieHeader() {
		HttpHeaders request = forwarded();
		request.add("Cookie", "theme=dark");
		request.add("cookie", "lang=en; authorization=Bearer%20first");
		request.add("Cookie", "authorization=second");
		assertThat(ForwardedHeaders.read(request).token()).isEqualTo("first");
		assertThat(ForwardedHeaders.read(forwarded()).token()).isNull();
	}

	@Test
	void aRequestIsSignedOnlyWithSignatureInputHostAndUri() {
		HttpHeaders request = forwarded();
		assertThat(ForwardedHeaders.read(request).signed()).isNull();
		request.add("Signature-Input", "sig1=(\"@method\");keyid=\"k\"");
		request.add("Signature", "sig1=:AAAA:");
		SignedRequest signed = ForwardedHeaders.read(request).signed();
		assertThat(signed).isNotNull();
		assertThat(signed.method()).isEqualTo("GET");
		request.remove("X-Forwarded-Host");
		assertThat(ForwardedHeaders.read(request).signed()).isNull();
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
