package dev.gatehouse.model.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RequestPathTests {

	@ParameterizedTest
	@CsvSource({
		"/, /",
		"/public/page, /public/page",
		"/private/, /private/",
		"/private?x=/public, /private",
		"/public/x?y=1;z, /public/x",
		"/public?next=/a/../b//c, /public",
		"/caf%C3%A9, /café",
		"/caf%c3%a9, /café",
		"/a%20b, /a b",
		"/100%25, /100%",
		"/100%25x, /100%x",
		"/a%2Bb%40c, /a+b@c",
		"/.well-known/x, /.well-known/x",
		"/a/..., /a/...",
		"/a.b/c., /a.b/c.",
	})
	void readsThePathAsTheAppWouldRouteIt(String raw, String expected) {
		assertThat(RequestPath.normalize(raw)).contains(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/caf\u00c3\u00a9", "/caf%C3\u00a9", "/caf\u00c3%a9", "/caf\u00e9", "/\u00c2\u0085" })
	void refusesRawBytesAboveAsciiWhichBrowsersEncodeAndAppsReadDifferently(String raw) {
		assertThat(RequestPath.normalize(raw)).isEmpty();
	}

	@Test
	void rawBytesAboveAsciiAreFineInTheQuery() {
		assertThat(RequestPath.normalize("/public?q=caf\u00c3\u00a9")).contains("/public");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "private", "http://x/private", "/a\\b", "/a%00", "/a%0a", "/a\tb", "/a\u007fb", "/private /x",
			"/private " })
	void refusesMalformedTargetsAndControlCharacters(String raw) {
		assertThat(RequestPath.normalize(raw)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/private;x", "/;x/private", "/private;jsessionid=0/deeper", "/private/;", "/private%3Bx",
			"/private%3bx", "/public/..;/private", "/public/.;x/private" })
	void refusesPathParametersWhichServletContainersStripAndOtherAppsRoute(String raw) {
		assertThat(RequestPath.normalize(raw)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/public#/../private", "/private#", "/#/private", "/public?x=1#y" })
	void refusesAFragmentAnywhere(String raw) {
		assertThat(RequestPath.normalize(raw)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/a%2fb", "/a%2Fb", "/a%5cb", "/private%3Fx", "/private%3fx", "/private%23x",
			"/priv%2561te", "/a%25%32%66b", "/a%252F" })
	void refusesEscapesThatAppsDecodeDifferently(String raw) {
		assertThat(RequestPath.normalize(raw)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/priv%61te", "/%50RIVATE", "/a%2Db", "/a%5Fb", "/%7Euser", "/a%31" })
	void refusesEscapedUnreservedCharactersWhichOnlySomeAppsDecode(String raw) {
		assertThat(RequestPath.normalize(raw)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/public/../private", "/..", "/a/../..", "/a/./b", "/a/.", "/a/b/..", "/%2e%2e/private",
			"/public/%2e%2e/private", "/public/%2E./private", "//private", "/a//b", "/private//", "/caf%C3%A9//x" })
	void refusesEmptyAndDotSegmentsWhichAppsResolveDifferently(String raw) {
		assertThat(RequestPath.normalize(raw)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/a%zz", "/a%4", "/a%", "/%c3%28", "/caf%C3", "/%C0%AF", "/%E0%80%AF", "/%ED%A0%80",
			"/%F4%90%80%80", "/%C2%85", "/caf\u00e9\u0301", "/\u65e5" })
	void refusesMalformedEscapesInvalidOrOverlongUtf8AndCharsThatAreNotBytes(String raw) {
		assertThat(RequestPath.normalize(raw)).isEmpty();
	}

	@Test
	void refusesACharThatIsNotAByteEvenInTheQuery() {
		assertThat(RequestPath.normalize("/public?q=\u65e5")).isEmpty();
	}

	@Test
	void theCommonCaseIsReturnedWithoutACopy() {
		String raw = "/public/page";
		assertThat(RequestPath.normalize(raw)).get().isSameAs(raw);
	}

	@ParameterizedTest
	@CsvSource({
		"/, /anything, true",
		"/private, /private, true",
		"/private, /private/, true",
		"/private, /private/x, true",
		"/private, /privateer, false",
		"/private, /, false",
		"/private, /PRIVATE, false",
	})
	void prefixesMatchOnSegmentBoundaries(String prefix, String path, boolean matches) {
		assertThat(RequestPath.matches(prefix, path)).isEqualTo(matches);
	}

	@ParameterizedTest
	@CsvSource({
		"/private, /PRIVATE/x, true",
		"/private, /Privateer, false",
		"/café, /CAFÉ, true",
		"/api/Docs, /api/docs/secret, true",
	})
	void prefixesCanMatchIgnoringCase(String prefix, String path, boolean matches) {
		assertThat(RequestPath.matches(prefix, path, true)).isEqualTo(matches);
	}

	@ParameterizedTest
	@CsvSource({ "/, /", "/private, /private", "/api/, /api", "/café, /café", "/日本/x, /日本/x" })
	void cleanPrefixesHaveACanonicalForm(String prefix, String canonical) {
		assertThat(RequestPath.canonicalPrefix(prefix)).contains(canonical);
	}

	@ParameterizedTest
	@ValueSource(strings = { "private", "/a//b", "/a/../b", "/a?x", "/a%20b", "/./a", "", "/a;b", "/a#b", "/a\\b",
			"/\ud800" })
	void uncleanPrefixesAreRejected(String prefix) {
		assertThat(RequestPath.canonicalPrefix(prefix)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/caf%C3%A9/menu", "/caf%c3%a9" })
	void aUnicodePrefixMatchesTheRequestABrowserSends(String raw) {
		String prefix = RequestPath.canonicalPrefix("/café").orElseThrow();
		assertThat(RequestPath.matches(prefix, RequestPath.normalize(raw).orElseThrow())).isTrue();
	}

}
