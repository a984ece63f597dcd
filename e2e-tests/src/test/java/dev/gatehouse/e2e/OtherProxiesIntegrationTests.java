package dev.gatehouse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nginx {@code auth_request} and Caddy {@code forward_auth} examples ({@code infra/nginx},
 * {@code infra/caddy}, started by {@code infra/local/other-proxy.sh}) in front of a local cluster: the
 * ported scenarios pass, and a forged identity header never reaches the app. What each proxy cannot do is
 * in docs/proxies.md; where a test shows such a limit, its name says so.
 */
class OtherProxiesIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Pattern IDENTITY_HEADER = Pattern.compile("(?i)^x[-_]ptl[-_].*");

	private static LocalCluster cluster;

	private static String cookie;

	@BeforeAll
	static void startClusterAndProxies() {
		cluster = new LocalCluster();
		cluster.up(2);
		proxy("nginx", "up");
		proxy("caddy", "up");
		JsonNode code = json.readTree(cluster.admin("POST", "/api/pairing-codes", null).body());
		JsonNode paired = json.readTree(cluster.post(cluster.adminUrl() + "/api/terminals/pair",
				"{\"code\": \"%s\", \"name\": \"Kiosk\"}".formatted(code.get("code").asString())).body());
		cookie = "Cookie: authorization=Bearer%20" + paired.get("token").asString();
	}

	@AfterAll
	static void stopClusterAndProxies() {
		if (cluster != null) {
			proxy("nginx", "down");
			proxy("caddy", "down");
			cluster.close();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "nginx", "caddy" })
	void publicAndPrivatePathsAndRefusalsAsThroughTraefik(String proxy) {
		LocalCluster.RawResponse anonymous = request(proxy, "demo", "/index.html");
		assertThat(anonymous.status()).isEqualTo(200);
		JsonNode headers = json.readTree(anonymous.body()).get("headers");
		assertThat(headers.path("x-ptl-client-type").asString()).isEqualTo("anonymous");
		assertThat(headers.path("x-ptl-foo").asString()).isEqualTo("baz");
		assertThat(headers.path("x-ptl-id").asString()).isNotEmpty();

		assertThat(request(proxy, "demo", "/private/notes").status()).isEqualTo(401);
		LocalCluster.RawResponse paired = request(proxy, "demo", "/private/notes", cookie);
		assertThat(paired.status()).isEqualTo(200);
		JsonNode terminal = json.readTree(paired.body()).get("headers");
		assertThat(terminal.path("x-ptl-client-type").asString()).isEqualTo("terminal");
		assertThat(terminal.path("x-ptl-client-name").asString()).isEqualTo("Kiosk");
		assertThat(terminal.path("x-ptl-foo").asString()).isEqualTo("bar Kiosk");

		assertThat(request(proxy, "nope", "/").status()).as("unknown app").isEqualTo(404);
		assertThat(request(proxy, "demo", "/a%2fb").status()).as("ambiguous path").isEqualTo(400);
		// passed on raw (Traefik resolves them first, and Gatehouse then sees /private: 401)
		assertThat(request(proxy, "demo", "/public/%2e%2e/private").status()).as("encoded dot segments").isEqualTo(400);
	}

	@ParameterizedTest
	@ValueSource(strings = { "X-Ptl-Client-Id: forged", "X_Ptl_Client_Id: forged", "X-Ptl_Client-Id: forged",
			"x-ptl-client-id: forged", "X-PTL-ID: forged", "X-Ptl-Client-Type: forged\r\nX-Ptl-Client-Type: forged",
			"x_ptl-client-name: forged", "X-Ptl-Foo: forged", "X_Ptl_Foo: forged" })
	void forgedIdentityHeadersNeverReachTheApp(String forged) {
		for (String proxy : List.of("nginx", "caddy")) {
			for (String path : List.of("/", "/private/notes")) {
				LocalCluster.RawResponse response = request(proxy, "demo", path, forged, cookie);
				assertThat(response.status()).as("%s %s", proxy, path).isEqualTo(200);
				assertThat(identityHeaders(response)).as("identity headers %s let through to %s", proxy, path)
					.noneMatch((header) -> header.contains("forged"));
			}
		}
	}

	/** nginx can only replace the headers it names: an X-Ptl-* name no rule defines passes through. */
	@ParameterizedTest
	@ValueSource(strings = { "nginx", "caddy" })
	void anUnnamedXPtlHeaderPassesOnlyThroughNginx(String proxy) {
		LocalCluster.RawResponse response = request(proxy, "demo", "/", "X-Ptl-Anything: forged");
		assertThat(identityHeaders(response).stream().anyMatch((header) -> header.contains("forged")))
			.isEqualTo(proxy.equals("nginx"));
	}

	private static List<String> identityHeaders(LocalCluster.RawResponse response) {
		List<String> found = new ArrayList<>();
		for (JsonNode header : json.readTree(response.body()).get("header_list")) {
			String name = header.get(0).asString();
			if (IDENTITY_HEADER.matcher(name).matches()) {
				found.add(name.toLowerCase(Locale.ROOT) + ": " + header.get(1).asString());
			}
		}
		return found;
	}

	private static LocalCluster.RawResponse request(String proxy, String app, String target, String... headerLines) {
		return cluster.raw(cluster.port(proxy), app, target, headerLines);
	}

	private static void proxy(String proxy, String command) {
		try {
			ProcessBuilder builder = new ProcessBuilder(cluster.repo().resolve("infra/local/other-proxy.sh").toString(), proxy,
					command)
				.redirectErrorStream(true);
			builder.environment().put("GATEHOUSE_RUN_DIR", cluster.runDir().toString());
			Process process = builder.start();
			process.getOutputStream().close();
			byte[] output = process.getInputStream().readAllBytes();
			assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
			assertThat(process.exitValue()).as("other-proxy.sh %s %s: %s", proxy, command,
					new String(output, StandardCharsets.UTF_8)).isZero();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
