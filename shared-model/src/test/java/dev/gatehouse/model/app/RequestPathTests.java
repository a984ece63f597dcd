package dev.gatehouse.model.app;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RequestPathTests {

	@ParameterizedTest
	@CsvSource({
		"/, /",
		"/public/page, /public/page",
		"/public/../private, /private",
		"/public/%2e%2e/private, /private",
		"/a//b///c, /a/b/c",
		"/a/./b/, /a/b/",
		"/a/b/.., /a/",
		"/private?x=/public, /private",
		"/private#/public, /private",
		"/caf%C3%A9, /café",
		"/a%20b, /a b",
		"//private, /private",
		"/private;jsessionid=1, /private;jsessionid=1",
	})
	void normalizesAsTheAppWouldRoute(String raw, String expected) {
		assertThat(RequestPath.normalize(raw)).contains(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "private", "/a%2fb", "/a%2Fb", "/a%5cb", "/a\\b", "/..", "/a/../..", "/a%zz",
			"/a%4", "/a%00", "/a%0a", "/%c3%28", "/public/..;/private", "/public/.;x/private", "http://x/private" })
	void refusesAmbiguousOrMalformedUris(String raw) {
		assertThat(RequestPath.normalize(raw)).isEmpty();
	}

	@ParameterizedTest
	@CsvSource({
		"/, /anything, true",
		"/private, /private, true",
		"/private, /private/, true",
		"/private, /private/x, true",
		"/private, /privateer, false",
		"/private, /, false",
	})
	void prefixesMatchOnSegmentBoundaries(String prefix, String path, boolean matches) {
		assertThat(RequestPath.matches(prefix, path)).isEqualTo(matches);
	}

	@ParameterizedTest
	@CsvSource({ "/, /", "/private, /private", "/api/, /api" })
	void cleanPrefixesHaveACanonicalForm(String prefix, String canonical) {
		assertThat(RequestPath.canonicalPrefix(prefix)).contains(canonical);
	}

	@ParameterizedTest
	@ValueSource(strings = { "private", "/a//b", "/a/../b", "/a?x", "/a%20b", "/./a", "" })
	void uncleanPrefixesAreRejected(String prefix) {
		assertThat(RequestPath.canonicalPrefix(prefix)).isEmpty();
	}

}
