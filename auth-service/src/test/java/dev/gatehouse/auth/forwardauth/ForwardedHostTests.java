package dev.gatehouse.auth.forwardauth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardedHostTests {

	@ParameterizedTest
	@CsvSource({ "files.example.org, files", "Files.Example.ORG, files", "files.example.org:443, files",
			"files.example.org., files", "localhost, localhost", "my-app.portal.example, my-app" })
	void appIsTheFirstLabel(String host, String app) {
		assertThat(ForwardedHost.appName(host)).isEqualTo(app);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "-files.example.org", "fi_les.example.org", "files..example.org",
			"files.example.org:", "files.example.org:http", "[::1]:80", "files.example.org,evil.org", "a b.example.org" })
	void malformedHostsHaveNoApp(String host) {
		assertThat(ForwardedHost.appName(host)).isNull();
	}

	@org.junit.jupiter.api.Test
	void missingHostHasNoApp() {
		assertThat(ForwardedHost.appName(null)).isNull();
	}

}
