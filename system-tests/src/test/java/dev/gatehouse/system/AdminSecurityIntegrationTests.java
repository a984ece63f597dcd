package dev.gatehouse.system;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route of the admin-service, found from its own handler mappings (a route added later is walked
 * too), called the ways an outsider would: without credentials, with a wrong token, with a terminal's
 * app-access token (the cookie every app receives), and through encoded and parameterised spellings of
 * its path. Only the open endpoints answer; nothing else does anything.
 */
class AdminSecurityIntegrationTests {

	private static final Set<String> OPEN = Set.of("POST /api/terminals/pair", "GET /public/identity");

	private static GatehouseCluster cluster;

	private static Scenarios.Paired paired;

	@BeforeAll
	static void startAdmin() {
		cluster = GatehouseCluster.start(0);
		paired = Scenarios.pair(cluster, "Visitor");
	}

	@AfterAll
	static void stopAdmin() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void everyRouteRefusesCallersWithoutAnAdminCredential() {
		List<String> routes = routes();
		assertThat(routes).as("the walk must cover the API").hasSizeGreaterThan(10).contains("POST /api/pairing-codes",
				"DELETE /api/terminals/x-1", "PUT /api/apps/x-1");
		long changes = changeLogSize();
		List<String> answered = new ArrayList<>();
		for (String route : routes) {
			String method = route.substring(0, route.indexOf(' '));
			String path = route.substring(route.indexOf(' ') + 1);
			if (OPEN.contains(route)) {
				continue;
			}
			for (String authorization : new String[] { null, "Bearer wrong-token-0123456789", "Bearer " + paired.token(),
					"bearer " + paired.token(), paired.adminToken() }) {
				HttpResponse<String> response = cluster.adminAs(authorization, method, path, "{}");
				if (response.statusCode() != 401) {
					answered.add(route + " as " + authorization + " -> " + response.statusCode());
				}
				assertThat(response.headers().firstValue("Content-Type")).as(route)
					.hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
			}
		}
		assertThat(answered).isEmpty();
		assertThat(changeLogSize()).isEqualTo(changes);
		assertThat(pairingCodes()).isZero();
	}

	@Test
	void encodedAndParameterisedSpellingsOfEveryRouteAreRefused() {
		long changes = changeLogSize();
		List<String> answered = new ArrayList<>();
		for (String route : routes()) {
			String method = route.substring(0, route.indexOf(' '));
			String path = route.substring(route.indexOf(' ') + 1);
			if (OPEN.contains(route)) {
				continue;
			}
			for (String spelling : spellings(path)) {
				for (String authorization : new String[] { null, "Bearer " + paired.token() }) {
					int status = cluster.adminAs(authorization, method, spelling, "{}").statusCode();
					// the firewall refuses non-normalized forms (400); everything else needs a credential (401)
					if (status != 400 && status != 401) {
						answered.add(method + " " + spelling + " -> " + status);
					}
				}
			}
		}
		assertThat(answered).isEmpty();
		assertThat(changeLogSize()).isEqualTo(changes);
		assertThat(pairingCodes()).isZero();
	}

	@Test
	void theFindingsOfTheAuditStayClosed() {
		// each of these answered 201 or 200 without a token before Spring Security guarded the API
		assertThat(cluster.adminAs(null, "POST", "/api;x/pairing-codes", null).statusCode()).isEqualTo(400);
		assertThat(cluster.adminAs(null, "GET", "/%61pi/apps", null).statusCode()).isEqualTo(401);
		assertThat(cluster.adminAs(null, "GET", "/api;/identities", null).statusCode()).isEqualTo(400);
		assertThat(cluster.adminAs(null, "GET", "/%61%70%69/terminals", null).statusCode()).isEqualTo(401);
		assertThat(pairingCodes()).isZero();
	}

	@Test
	void operationsEndpointsShowNoDetailsOrMetricsToAnonymousCallers() {
		HttpResponse<String> health = cluster.adminAs(null, "GET", "/actuator/health", null);
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).doesNotContain("components", "db", "redis");
		assertThat(cluster.adminAs(null, "GET", "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
		assertThat(cluster.adminAs(null, "GET", "/actuator/prometheus", null).statusCode()).isEqualTo(401);
		assertThat(cluster.adminAs(null, "GET", "/actuator/metrics", null).statusCode()).isEqualTo(401);
		assertThat(cluster.admin("GET", "/actuator/metrics", null).statusCode()).isEqualTo(404);
		assertThat(cluster.admin("GET", "/actuator/env", null).statusCode()).isEqualTo(404);
		assertThat(cluster.admin("GET", "/actuator/prometheus", null).statusCode()).isEqualTo(200);
		assertThat(cluster.admin("GET", "/actuator/health", null).body()).contains("components");
	}

	@Test
	void nothingElseAnswersAnonymousCallers() {
		// endpoints served by filters, not handler mappings: the OAuth metadata document is not served at all
		assertThat(cluster.adminAs(null, "GET", "/.well-known/oauth-protected-resource", null).statusCode()).isEqualTo(401);
		assertThat(cluster.adminAs(null, "GET", "/error", null).statusCode()).isEqualTo(401);
		assertThat(cluster.admin("GET", "/error", null).statusCode()).isEqualTo(403);
		HttpResponse<String> challenged = cluster.adminAs("Bearer not-a-token", "GET", "/api/apps", null);
		assertThat(challenged.headers().firstValue("WWW-Authenticate"))
			.hasValue("Bearer realm=\"gatehouse-admin\", error=\"invalid_token\"");
	}

	@Test
	void wildcardOrMalformedContentTypesAreRefusedWithAProblem() {
		for (String type : new String[] { "application/*+json", "*/*", "nonsense" }) {
			HttpResponse<String> response = cluster.adminWithContentType(type, "POST", "/api/terminals/pair", "{}");
			assertThat(response.statusCode()).as(type).isEqualTo(415);
			assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(value -> assertThat(value).startsWith("application/problem+json"));
		}
	}

	@Test
	void theOpenPairingEndpointNeedsItsCode() {
		HttpResponse<String> response = cluster.adminAs(null, "POST", "/api/terminals/pair",
				"{\"code\": \"not-the-code\", \"name\": \"Intruder\"}");
		assertThat(response.statusCode()).isEqualTo(401);
	}

	/** Every mapped route as {@code METHOD /path}, path variables filled with a sample value. */
	private static List<String> routes() {
		RequestMappingHandlerMapping mapping = cluster.admin()
			.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
		Set<String> routes = new LinkedHashSet<>();
		for (Map.Entry<RequestMappingInfo, ?> entry : mapping.getHandlerMethods().entrySet()) {
			Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
			for (String pattern : entry.getKey().getPatternValues()) {
				String path = pattern.replaceAll("\\{[^}]+}", "x-1");
				for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
					routes.add(method.name() + " " + path);
				}
			}
		}
		return new ArrayList<>(routes);
	}

	/** Spellings that servlet containers, Spring or other servers may route to the same handler. */
	private static List<String> spellings(String path) {
		int second = path.indexOf('/', 1);
		String first = (second < 0) ? path.substring(1) : path.substring(1, second);
		String rest = (second < 0) ? "" : path.substring(second);
		String encodedFirst = "%%%02x".formatted((int) first.charAt(0)) + first.substring(1);
		List<String> spellings = new ArrayList<>(List.of("/" + first + ";x" + rest, "/" + first + ";" + rest,
				"/" + encodedFirst + rest, "/" + first + "/." + rest, "//" + first + rest, "/" + first + "/x/.." + rest,
				"/" + first.toUpperCase(java.util.Locale.ROOT) + rest, "/" + first + "/%2e" + rest, "/x/../" + first + rest,
				"/" + first + "%2F" + rest, path + ";jsessionid=0", path + "/", path.replace("/", "//")));
		if (!rest.isEmpty()) {
			spellings.add("/" + first + rest.replaceFirst("/", "/;x/"));
		}
		return spellings;
	}

	private static long changeLogSize() {
		return jdbc().sql("select count(*) from change_log").query(Long.class).single();
	}

	private static long pairingCodes() {
		// the one pairing code the fixture redeemed is gone; any code here was created by a refused call
		return jdbc().sql("select count(*) from pairing_code").query(Long.class).single();
	}

	private static JdbcClient jdbc() {
		return JdbcClient.create(cluster.admin().getBean(javax.sql.DataSource.class));
	}

}
