package dev.gatehouse.auth.forwardauth;

import java.util.ArrayList;

import dev.gatehouse.auth.forwardauth.Decision.HeaderValue;
import dev.gatehouse.model.app.HeaderName;
import dev.gatehouse.model.terminal.Terminal;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardAuthDeciderHeadersTests {

	@Test
	void terminalNameOutsideLatin1IsSentEncoded() {
		Client zoe = new Client.PairedTerminal(new Terminal("9b2f3c1e-0000-4000-8000-000000000001", "Zoë 🚀"));
		assertThat(ForwardAuthDecider.addClientHeaders(new ArrayList<>(), zoe)).containsExactly(
				new HeaderValue(HeaderName.CLIENT_TYPE, "terminal"),
				new HeaderValue(HeaderName.CLIENT_ID, "9b2f3c1e-0000-4000-8000-000000000001"),
				new HeaderValue(HeaderName.CLIENT_NAME, "UTF-8''Zo%C3%AB%20%F0%9F%9A%80"));
	}

	@Test
	void asciiTerminalNameIsSentAsItIs() {
		Client phone = new Client.PairedTerminal(new Terminal("id-1", "Pixel 7 (work)"));
		assertThat(ForwardAuthDecider.addClientHeaders(new ArrayList<>(), phone)).last()
			.isEqualTo(new HeaderValue(HeaderName.CLIENT_NAME, "Pixel 7 (work)"));
	}

	@Test
	void anonymousClientStillGetsAllThreeHeaders() {
		assertThat(ForwardAuthDecider.addClientHeaders(new ArrayList<>(), Client.ANONYMOUS)).extracting(HeaderValue::value)
			.containsExactly("anonymous", "", "");
	}

	@Test
	void valuesAreTrimmedBeforeTheyAreEncodedSoATrimCannotUncoverTheMarker() {
		assertThat(ForwardAuthDecider.headerValue("  Pixel 7  ")).isEqualTo("Pixel 7");
		assertThat(ForwardAuthDecider.headerValue(" UTF-8''%0D%0AX-Ptl-Client-Id:%20admin "))
			.as("the marker at the start after trimming: encoded, so the app decodes the text it was")
			.isEqualTo("UTF-8''UTF-8%27%27%250D%250AX-Ptl-Client-Id%3A%2520admin");
		assertThat(ForwardAuthDecider.headerValue("   ")).isEmpty();
	}

}
