package dev.gatehouse.admin.access;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServletRequest;

import dev.gatehouse.admin.config.AdminProperties;
import dev.gatehouse.admin.outbound.RelayTokenIntrospector;
import dev.gatehouse.admin.terminal.InMemoryTerminals;
import dev.gatehouse.admin.terminal.TerminalService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin-service's filter chains on their own: {@link SecurityConfiguration} with the real
 * introspectors, in front of a stand-in controller for each kind of route it names, served by a real
 * Tomcat so that request paths are decoded, normalised and routed as in production (the audit's bypass
 * lived exactly there: docs/security.md, finding 1). Neither PostgreSQL nor Redis: terminals come from
 * {@link InMemoryTerminals}. Every decision of the configuration has a test here; the whole API walked
 * route by route is {@code AdminSecurityIntegrationTests} in the system tests.
 */
class SecurityConfigurationIntegrationTests {

	private static final String ADMIN_TOKEN = AdminTokenIntrospectorTests.ADMIN_TOKEN;

	private static final String RELAY_TOKEN = "the-relay-token-0123456789";

	private static final String ADMIN_CHALLENGE = "Bearer realm=\"gatehouse-admin\"";

	private static final String RELAY_CHALLENGE = "Bearer realm=\"gatehouse-outbound\"";

	private static final String INVALID_TOKEN = ", error=\"invalid_token\"";

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final JsonMapper json = JsonMapper.builder().build();

	private static Admin admin;

	@BeforeAll
	static void startAdmin() {
		admin = Admin.start(RELAY_TOKEN);
	}

	@AfterAll
	static void stopAdmin() {
		if (admin != null) {
			admin.close();
		}
	}

	@Test
	void withoutATokenTheApiAnswersAChallengeAndAProblem() {
		int reached = admin.reached();
		for (String method : new String[] { "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" }) {
			HttpResponse<String> response = admin.call(method, "/api/apps");
			assertUnauthorized(response, ADMIN_CHALLENGE);
			assertThat(problem(response).get("detail").asString())
				.isEqualTo("Send Authorization: Bearer with the admin token or a terminal's admin token.");
		}
		assertThat(admin.reached()).isEqualTo(reached);
	}

	@Test
	void aWrongTokenIsRefusedAsAnInvalidToken() {
		int reached = admin.reached();
		for (String token : new String[] { "wrong-token-0123456789", ADMIN_TOKEN + "x", ADMIN_TOKEN.substring(1) }) {
			assertUnauthorized(admin.call("GET", "/api/apps", "Authorization", "Bearer " + token), ADMIN_CHALLENGE + INVALID_TOKEN);
		}
		assertThat(admin.reached()).isEqualTo(reached);
	}

	@Test
	void theAdminTokenAsBearerIsTheAdmin() {
		HttpResponse<String> response = admin.call("GET", "/api/apps", "Authorization", "Bearer " + ADMIN_TOKEN);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("GET /api/apps as admin");
		// HTTP authentication schemes are case-insensitive (RFC 9110, 11.1)
		assertThat(admin.call("GET", "/api/apps", "Authorization", "bearer " + ADMIN_TOKEN).body())
			.isEqualTo("GET /api/apps as admin");
	}

	@Test
	void theAdminTokenCountsOnlyAsBearerInTheAuthorizationHeader() {
		int reached = admin.reached();
		String basic = Base64.getEncoder().encodeToString(("admin:" + ADMIN_TOKEN).getBytes(StandardCharsets.UTF_8));
		List<HttpResponse<String>> refused = List.of(
				// other schemes, or none (HTTP Basic is off)
				admin.call("GET", "/api/apps", "Authorization", "Basic " + basic),
				admin.call("GET", "/api/apps", "Authorization", "Token " + ADMIN_TOKEN),
				admin.call("GET", "/api/apps", "Authorization", ADMIN_TOKEN),
				// cookies: the app zone's authorization cookie, or any other name
				admin.call("GET", "/api/apps", "Cookie", "authorization=" + ADMIN_TOKEN),
				admin.call("GET", "/api/apps", "Cookie", "access_token=" + ADMIN_TOKEN),
				// RFC 6750's query and form parameters
				admin.call("GET", "/api/apps?access_token=" + ADMIN_TOKEN),
				admin.send("POST", "/api/apps", HttpRequest.BodyPublishers.ofString("access_token=" + ADMIN_TOKEN),
						"Content-Type", "application/x-www-form-urlencoded"),
				// other headers
				admin.call("GET", "/api/apps", "X-Auth-Token", ADMIN_TOKEN),
				admin.call("GET", "/api/apps", "Proxy-Authorization", "Bearer " + ADMIN_TOKEN));
		for (HttpResponse<String> response : refused) {
			// as if no token was sent at all
			assertUnauthorized(response, ADMIN_CHALLENGE);
		}
		assertThat(admin.reached()).isEqualTo(reached);
	}

	@Test
	void aPairedTerminalsAdminTokenOpensTheApiUntilTheTerminalIsDeletedAndItsAppTokenNever() {
		InMemoryTerminals.Tokens tokens = admin.terminals().pair("t-1");
		assertThat(admin.call("GET", "/api/apps", "Authorization", "Bearer " + tokens.adminToken()).body())
			.isEqualTo("GET /api/apps as terminal:t-1");
		int reached = admin.reached();
		// the app-access token is the authorization cookie every app receives
		assertUnauthorized(admin.call("GET", "/api/apps", "Authorization", "Bearer " + tokens.appToken()),
				ADMIN_CHALLENGE + INVALID_TOKEN);
		admin.terminals().delete("t-1");
		assertUnauthorized(admin.call("GET", "/api/apps", "Authorization", "Bearer " + tokens.adminToken()),
				ADMIN_CHALLENGE + INVALID_TOKEN);
		assertThat(admin.reached()).isEqualTo(reached);
	}

	@Test
	void aCredentialIsNeverRemembered() {
		HttpResponse<String> admitted = admin.call("POST", "/api/apps", "Authorization", "Bearer " + ADMIN_TOKEN);
		// no CSRF token needed: nothing is sent automatically by a browser that could carry a credential
		assertThat(admitted.statusCode()).isEqualTo(200);
		HttpResponse<String> refused = admin.call("GET", "/api/apps");
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(admitted.headers().allValues("Set-Cookie")).isEmpty();
		assertThat(refused.headers().allValues("Set-Cookie")).isEmpty();
	}

	@Test
	void onlyRedeemingAPairingCodeIsOpenUnderTheApi() {
		HttpResponse<String> pairing = admin.call("POST", "/api/terminals/pair");
		assertThat(pairing.statusCode()).isEqualTo(200);
		assertThat(pairing.body()).isEqualTo("POST /api/terminals/pair as anonymous");
		int reached = admin.reached();
		for (String method : new String[] { "GET", "PUT", "DELETE" }) {
			assertUnauthorized(admin.call(method, "/api/terminals/pair"), ADMIN_CHALLENGE);
		}
		assertUnauthorized(admin.call("POST", "/api/terminals/pair/"), ADMIN_CHALLENGE);
		assertUnauthorized(admin.call("POST", "/api/terminals/pair/x"), ADMIN_CHALLENGE);
		// the bearer filter judges a token wherever one is sent: a wrong one is refused even here
		assertUnauthorized(admin.call("POST", "/api/terminals/pair", "Authorization", "Bearer wrong-token-0123456789"),
				ADMIN_CHALLENGE + INVALID_TOKEN);
		assertThat(admin.reached()).isEqualTo(reached);
	}

	@Test
	void whoThisInstallationIsIsPublicToRead() {
		assertThat(admin.call("GET", "/public/identity").body()).isEqualTo("GET /public/identity as anonymous");
		int reached = admin.reached();
		for (String method : new String[] { "POST", "PUT", "DELETE" }) {
			assertUnauthorized(admin.call(method, "/public/identity"), ADMIN_CHALLENGE);
		}
		assertUnauthorized(admin.call("GET", "/public/other"), ADMIN_CHALLENGE);
		assertThat(admin.reached()).isEqualTo(reached);
	}

	@Test
	void theApiDescriptionIsForAdmins() {
		for (String path : new String[] { "/v3/api-docs", "/v3/api-docs/swagger-config", "/swagger-ui.html",
				"/swagger-ui/index.html" }) {
			assertUnauthorized(admin.call("GET", path), ADMIN_CHALLENGE);
			assertThat(admin.call("GET", path, "Authorization", "Bearer " + ADMIN_TOKEN).body()).isEqualTo("GET " + path + " as admin");
		}
	}

	@Test
	void healthStatusIsPublicButItsDetailsAndTheMetricsAreNot() {
		HttpResponse<String> health = admin.call("GET", "/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(json.readTree(health.body()).get("status").asString()).isEqualTo("UP");
		assertThat(json.readTree(health.body()).has("components")).as("no details for anonymous callers").isFalse();
		assertThat(admin.call("GET", "/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(admin.call("GET", "/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(json.readTree(admin.call("GET", "/actuator/health", "Authorization", "Bearer " + ADMIN_TOKEN).body())
			.has("components")).as("details for an admin").isTrue();
		// only reading the status is open
		assertUnauthorized(admin.call("POST", "/actuator/health"), ADMIN_CHALLENGE);

		assertUnauthorized(admin.call("GET", "/actuator/prometheus"), ADMIN_CHALLENGE);
		assertThat(admin.call("GET", "/actuator/prometheus", "Authorization", "Bearer " + ADMIN_TOKEN).statusCode())
			.isEqualTo(200);
		assertUnauthorized(admin.call("GET", "/actuator"), ADMIN_CHALLENGE);
		assertUnauthorized(admin.call("GET", "/actuator/env"), ADMIN_CHALLENGE);
		assertUnauthorized(admin.call("GET", "/actuator/healthy"), ADMIN_CHALLENGE);
	}

	@Test
	void theErrorPageIsNoEndpoint() {
		assertUnauthorized(admin.call("GET", "/error"), ADMIN_CHALLENGE);
		HttpResponse<String> asAdmin = admin.call("GET", "/error", "Authorization", "Bearer " + ADMIN_TOKEN);
		assertThat(asAdmin.statusCode()).isEqualTo(403);
		assertThat(problem(asAdmin).get("detail").asString()).isEqualTo("This is no endpoint of the admin API.");
	}

	@Test
	void theErrorOfARequestThatWasLetInIsRenderedAsThatError() {
		// rendered by the error page on an ERROR dispatch, which is neither authenticated again nor refused
		HttpResponse<String> failed = admin.call("GET", "/api/failing", "Authorization", "Bearer " + ADMIN_TOKEN);
		assertThat(failed.statusCode()).isEqualTo(500);
		assertThat(json.readTree(failed.body()).get("path").asString()).isEqualTo("/api/failing");
		// the relay's errors too: the ERROR dispatch goes to /error, outside the relay chain's matcher, so the
		// admin chain's ERROR rule is the one that lets it render
		HttpResponse<String> relayed = admin.call("GET", "/internal/peers/failing", "Authorization", "Bearer " + RELAY_TOKEN);
		assertThat(relayed.statusCode()).isEqualTo(500);
		assertThat(json.readTree(relayed.body()).get("path").asString()).isEqualTo("/internal/peers/failing");
		int reached = admin.reached();
		assertUnauthorized(admin.call("GET", "/api/failing"), ADMIN_CHALLENGE);
		assertThat(admin.reached()).isEqualTo(reached);
	}

	@Test
	void noLoginLogoutOrResourceMetadataEndpointAnswersAnonymousCallers() {
		assertUnauthorized(admin.call("GET", "/login"), ADMIN_CHALLENGE);
		assertUnauthorized(admin.send("POST", "/login", HttpRequest.BodyPublishers.ofString("username=admin&password=" + ADMIN_TOKEN),
				"Content-Type", "application/x-www-form-urlencoded"), ADMIN_CHALLENGE);
		assertUnauthorized(admin.call("POST", "/logout"), ADMIN_CHALLENGE);
		// Spring Security's resource server would describe itself here, echoing the forwarded host
		assertUnauthorized(admin.call("GET", "/.well-known/oauth-protected-resource"), ADMIN_CHALLENGE);
		assertUnauthorized(admin.call("GET", "/.well-known/oauth-protected-resource/api/apps"), ADMIN_CHALLENGE);
	}

	@Test
	void pathParametersAndEncodedOrDotSegmentsAreRefusedBeforeAnyRule() {
		int reached = admin.reached();
		List<String> answered = new ArrayList<>();
		// Spring Security's firewall, answered by the configuration's rejected-request handler
		for (String path : new String[] { "/api;x/apps", "/api;/apps", "/api/apps;jsessionid=0", "/api%3Bx/apps",
				"/api%3bx/apps", "/api/%2e/apps", "/api/%2E%2E/api/apps", "/api/./apps", "/api/x/../apps", "//api/apps",
				"/api//apps", "/api/apps%25", "/internal;x/peers/p/apps/a/x", "/api;x/terminals/pair" }) {
			for (HttpResponse<String> response : callAsAnyone(path)) {
				if (response.statusCode() != 400 || !isProblem(response)) {
					answered.add(response.request() + " -> " + response.statusCode() + " " + response.body());
				}
			}
		}
		// Tomcat itself refuses encoded slashes and backslashes before any filter sees them
		for (String path : new String[] { "/api%2Fapps", "/api%2fapps", "/api%5Capps", "/api%5capps" }) {
			for (HttpResponse<String> response : callAsAnyone(path)) {
				if (response.statusCode() != 400) {
					answered.add(response.request() + " -> " + response.statusCode() + " " + response.body());
				}
			}
		}
		assertThat(answered).isEmpty();
		assertThat(admin.reached()).isEqualTo(reached);
		assertThat(problem(admin.call("GET", "/api;x/apps")).get("detail").asString())
			.startsWith("The request path is not in normalized form");
	}

	@Test
	void anEncodedSpellingMeetsTheRuleOfTheRouteItReaches() {
		// the audit's bypass: the raw URI /%61pi/... named no protected prefix, the route was /api/...
		assertUnauthorized(admin.call("GET", "/%61pi/apps"), ADMIN_CHALLENGE);
		assertUnauthorized(admin.call("GET", "/%61%70%69/apps"), ADMIN_CHALLENGE);
		assertThat(admin.call("GET", "/%61pi/apps", "Authorization", "Bearer " + ADMIN_TOKEN).body())
			.isEqualTo("GET /api/apps as admin");
		assertThat(admin.call("POST", "/%61pi/terminals/%70air").body()).isEqualTo("POST /api/terminals/pair as anonymous");
		assertUnauthorized(admin.call("GET", "/API/apps"), ADMIN_CHALLENGE);
	}

	@Test
	void theRelayAnswersTheRelayTokenAndNothingElse() {
		assertThat(admin.call("GET", "/internal/peers/p/apps/a/x", "Authorization", "Bearer " + RELAY_TOKEN).body())
			.isEqualTo("GET /internal/peers/p/apps/a/x as outbound-relay");
		int reached = admin.reached();
		HttpResponse<String> anonymous = admin.call("GET", "/internal/peers/p/apps/a/x");
		assertUnauthorized(anonymous, RELAY_CHALLENGE);
		assertThat(problem(anonymous).get("detail").asString()).isEqualTo("Send Authorization: Bearer with the outbound relay token.");
		String terminalAdminToken = admin.terminals().pair("t-relay").adminToken();
		for (String token : new String[] { ADMIN_TOKEN, terminalAdminToken, RELAY_TOKEN + "x" }) {
			assertUnauthorized(admin.call("POST", "/internal/peers/p/apps/a/x", "Authorization", "Bearer " + token),
					RELAY_CHALLENGE + INVALID_TOKEN);
		}
		assertUnauthorized(admin.call("GET", "/internal/peers/p/apps/a/x", "Cookie", "authorization=" + RELAY_TOKEN), RELAY_CHALLENGE);
		assertThat(admin.reached()).isEqualTo(reached);
	}

	@Test
	void theRelayTokenOpensNothingElse() {
		int reached = admin.reached();
		for (String path : new String[] { "/api/apps", "/v3/api-docs", "/actuator/prometheus", "/internal/other" }) {
			assertUnauthorized(admin.call("GET", path, "Authorization", "Bearer " + RELAY_TOKEN), ADMIN_CHALLENGE + INVALID_TOKEN);
		}
		assertThat(admin.reached()).isEqualTo(reached);
	}

	@Test
	void aDisabledRelayLetsNobodyIn() {
		try (Admin disabled = Admin.start(null)) {
			for (String token : new String[] { RELAY_TOKEN, ADMIN_TOKEN }) {
				HttpResponse<String> response = disabled.call("GET", "/internal/peers/p/apps/a/x", "Authorization", "Bearer " + token);
				assertUnauthorized(response, RELAY_CHALLENGE + INVALID_TOKEN);
				assertThat(problem(response).get("detail").asString())
					.isEqualTo("The outbound relay is disabled: gatehouse.admin.outbound.token is not set.");
			}
			assertUnauthorized(disabled.call("GET", "/internal/peers/p/apps/a/x"), RELAY_CHALLENGE);
			assertThat(disabled.reached()).isZero();
		}
	}

	/** A path called without a token, with the admin token and with the relay token. */
	private static List<HttpResponse<String>> callAsAnyone(String path) {
		return List.of(admin.call("POST", path), admin.call("POST", path, "Authorization", "Bearer " + ADMIN_TOKEN),
				admin.call("POST", path, "Authorization", "Bearer " + RELAY_TOKEN));
	}

	private static void assertUnauthorized(HttpResponse<String> response, String challenge) {
		assertThat(response.statusCode()).as("%s -> %s", response.request(), response.body()).isEqualTo(401);
		assertThat(response.headers().allValues("WWW-Authenticate")).as("%s", response.request()).containsExactly(challenge);
		assertThat(problem(response).get("status").asInt()).isEqualTo(401);
	}

	private static boolean isProblem(HttpResponse<String> response) {
		return response.headers().firstValue("Content-Type").filter(type -> type.startsWith("application/problem+json")).isPresent();
	}

	private static JsonNode problem(HttpResponse<String> response) {
		assertThat(isProblem(response)).as("problem+json: %s", response.headers().map()).isTrue();
		return json.readTree(response.body());
	}

	/** The security configuration in a running web server, and what its stand-in routes saw. */
	private record Admin(ConfigurableApplicationContext context, URI base) implements AutoCloseable {

		static Admin start(String relayToken) {
			Map<String, Object> properties = new LinkedHashMap<>();
			properties.put("server.port", 0);
			properties.put("spring.jmx.enabled", false);
			properties.put("gatehouse.admin.token", ADMIN_TOKEN);
			properties.put("gatehouse.admin.outbound.token", (relayToken != null) ? relayToken : "");
			// the admin's own configuration file: its actuator exposure, health details and web settings
			ConfigurableApplicationContext context = new SpringApplicationBuilder(SecuredRoutes.class)
				.properties("spring.config.name=gatehouse-admin")
				.run(properties.entrySet().stream().map(entry -> "--" + entry.getKey() + "=" + entry.getValue()).toArray(String[]::new));
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			return new Admin(context, URI.create("http://127.0.0.1:" + port));
		}

		InMemoryTerminals terminals() {
			return this.context.getBean(InMemoryTerminals.class);
		}

		int reached() {
			return this.context.getBean(StandInRoutes.class).reached.get();
		}

		HttpResponse<String> call(String method, String path, String... headers) {
			return send(method, path, HttpRequest.BodyPublishers.noBody(), headers);
		}

		HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, String... headers) {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
				.timeout(Duration.ofSeconds(10))
				.method(method, body);
			for (int i = 0; i < headers.length; i += 2) {
				request.header(headers[i], headers[i + 1]);
			}
			try {
				return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				throw new IllegalStateException(method + " " + path + " failed", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void close() {
			this.context.close();
		}

	}

	/**
	 * What the admin's security needs and nothing else: the web server, MVC and its error page, JSON, the
	 * actuator's health and Prometheus endpoints, Spring Security as the admin gets it, and the two
	 * properties records the introspectors read.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@ImportAutoConfiguration(classes = {
			org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration.class,
			org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration.class,
			org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration.class,
			org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration.class,
			org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration.class,
			org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration.class,
			org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration.class,
			org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration.class,
			org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration.class,
			org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration.class,
			org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration.class,
			org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration.class,
			org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration.class,
			org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration.class,
			org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration.class,
			org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration.class,
			org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration.class,
			org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration.class,
			org.springframework.boot.servlet.autoconfigure.actuate.web.ServletManagementContextAutoConfiguration.class,
			org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration.class,
			org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration.class,
			org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration.class,
			org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration.class,
			org.springframework.boot.health.autoconfigure.application.DiskSpaceHealthContributorAutoConfiguration.class,
			org.springframework.boot.webmvc.autoconfigure.actuate.endpoint.web.WebMvcHealthEndpointExtensionAutoConfiguration.class,
			org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration.class,
			org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration.class,
			org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration.class })
	@EnableConfigurationProperties(AdminProperties.class)
	@ConfigurationPropertiesScan(basePackageClasses = RelayTokenIntrospector.class)
	@Import({ SecurityConfiguration.class, AdminTokenIntrospector.class, RelayTokenIntrospector.class, StandInRoutes.class })
	static class SecuredRoutes {

		@Bean
		InMemoryTerminals terminals(AdminProperties properties) {
			return new InMemoryTerminals(Clock.systemUTC(), properties);
		}

		@Bean
		TerminalService terminalService(InMemoryTerminals terminals) {
			return terminals.service();
		}

	}

	/** One stand-in per kind of route the configuration names; each answers who it saw. */
	@RestController
	static class StandInRoutes {

		final AtomicInteger reached = new AtomicInteger();

		@RequestMapping({ "/api/apps", "/api/terminals/pair", "/public/identity", "/v3/api-docs", "/v3/api-docs/swagger-config",
				"/swagger-ui.html", "/swagger-ui/index.html", "/internal/peers/{peer}/apps/{app}/**" })
		String reached(HttpServletRequest request, Principal principal) {
			this.reached.incrementAndGet();
			return request.getMethod() + " " + request.getServletPath() + " as "
					+ ((principal != null) ? principal.getName() : "anonymous");
		}

		@GetMapping({ "/api/failing", "/internal/peers/failing" })
		String failing() {
			this.reached.incrementAndGet();
			throw new IllegalStateException("fails on purpose");
		}

	}

}
