package dev.gatehouse.admin.outbound;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OutboundPropertiesTests {

	private static final String TOKEN = "a-long-enough-relay-token";

	@Test
	void defaultsAreValidAndTheRelayIsOffWithoutAToken() {
		OutboundProperties properties = properties(null, "https://{app}.{domain}");
		assertThat(properties.enabled()).isFalse();
		assertThat(properties(" ".repeat(0), "https://{app}.{domain}").enabled()).as("an empty variable").isFalse();
		assertThat(properties(TOKEN, "https://{app}.{domain}").enabled()).isTrue();
		assertThat(properties(TOKEN, "https://{app}.{domain}").toString()).doesNotContain(TOKEN);
	}

	@Test
	void aShortTokenIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> properties("short", "https://{app}.{domain}"))
			.withMessageContaining("GATEHOUSE_ADMIN_OUTBOUND_TOKEN");
	}

	@Test
	void theAppUrlNamesTheAppAndThePeersDomainAndNoQuery() {
		for (String url : new String[] { "https://{app}.example.org", "https://inbox.{domain}", "ftp://{app}.{domain}",
				"https://{app}.{domain}/?x=1", "https://{app}.{domain}/#x" }) {
			assertThatIllegalArgumentException().as(url).isThrownBy(() -> properties(TOKEN, url))
				.withMessageContaining("app-url");
		}
		assertThat(properties(TOKEN, "http://127.0.0.1:8080/{domain}/{app}/").appUrl())
			.isEqualTo("http://127.0.0.1:8080/{domain}/{app}");
	}

	@Test
	void theConnectTimeoutFitsInTheTimeout() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new OutboundProperties(TOKEN, "https://{app}.{domain}", Duration.ofSeconds(5), Duration.ofSeconds(1),
					DataSize.ofMegabytes(10)))
			.withMessageContaining("connect-timeout");
	}

	private static OutboundProperties properties(String token, String appUrl) {
		return new OutboundProperties(token, appUrl, Duration.ofSeconds(3), Duration.ofSeconds(30), DataSize.ofMegabytes(10));
	}

}
