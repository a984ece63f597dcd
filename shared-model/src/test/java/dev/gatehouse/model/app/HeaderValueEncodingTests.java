package dev.gatehouse.model.app;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderValueEncodingTests {

	@Test
	void printableAsciiIsSentAsItselfWithoutACopy() {
		String value = "Pixel 7 (work) <a@b.c>, \"quoted\" 100%";
		assertThat(HeaderValueEncoding.encode(value)).isSameAs(value);
		assertThat(HeaderValueEncoding.encode("")).isSameAs("");
	}

	@Test
	void textOutsideAsciiBecomesPercentEncodedUtf8AfterTheMarker() {
		assertThat(HeaderValueEncoding.encode("Zoë 🚀")).isEqualTo("UTF-8''Zo%C3%AB%20%F0%9F%9A%80");
		assertThat(HeaderValueEncoding.encode("山田")).isEqualTo("UTF-8''%E5%B1%B1%E7%94%B0");
	}

	@Test
	void attrCharsStandForThemselvesAndEverythingElseIsEscapedInUpperCase() {
		assertThat(HeaderValueEncoding.encode("é!#$&+-.^_`|~aZ9 %'*,;\"<>"))
			.isEqualTo("UTF-8''%C3%A9!#$&+-.^_`|~aZ9%20%25%27%2A%2C%3B%22%3C%3E");
	}

	@Test
	void controlCharactersAreEncodedSoTheyCannotSplitAHeader() {
		assertThat(HeaderValueEncoding.encode("a\r\nX-Injected: 1")).isEqualTo("UTF-8''a%0D%0AX-Injected%3A%201");
		assertThat(HeaderValueEncoding.encode("a\u007fb")).isEqualTo("UTF-8''a%7Fb");
	}

	@Test
	void aValueThatLooksEncodedIsEncodedSoDecodingGivesItBack() {
		assertThat(HeaderValueEncoding.encode("UTF-8''Zo%C3%AB")).isEqualTo("UTF-8''UTF-8%27%27Zo%25C3%25AB");
		assertThat(HeaderValueEncoding.encode("utf-8''x")).isEqualTo("UTF-8''utf-8%27%27x");
		assertThat(HeaderValueEncoding.encode("UTF-8'")).isSameAs("UTF-8'");
	}

	@Test
	void everyValueSurvivesTheRoundTrip() {
		for (String value : new String[] { "", "plain", "Zoë 🚀", "UTF-8''Zo%C3%AB", "utf-8''", "\u0000\t\n", "ΑΒΓ δ",
				"100% sure", "家族の写真", "emoji 👩‍👩‍👧", "\u00ff\u0100" }) {
			String encoded = HeaderValueEncoding.encode(value);
			assertThat(encoded).as(value).matches("[\\x20-\\x7e]*");
			assertThat(decode(encoded)).as(value).isEqualTo(value);
		}
	}

	@Test
	void encodingNeverGrowsACharPastTheStatedBound() {
		for (String value : new String[] { "\uffff", "🚀", "\u0000", "é", " " }) {
			int bound = HeaderValueEncoding.MARKER.length() + HeaderValueEncoding.MAX_ENCODED_PER_CHAR * value.length();
			assertThat(HeaderValueEncoding.encode(value).length()).isLessThanOrEqualTo(bound);
		}
		assertThat(HeaderValueEncoding.encode("\uffff")).hasSize(HeaderValueEncoding.MARKER.length() + 9);
	}

	/** What an app does with a header value; written from the documented definition, not from the encoder. */
	private static String decode(String value) {
		if (!value.regionMatches(true, 0, "UTF-8''", 0, 7)) {
			return value;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (int i = 7; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '%') {
				bytes.write(Integer.parseInt(value, i + 1, i + 3, 16));
				i += 2;
			}
			else {
				bytes.write(c);
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

}
