package dev.gatehouse.system;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose file and Traefik's configuration say what the deployment needs: forwardAuth through a
 * load-balanced, health-checked, retried service over scalable replicas, identity headers stripped in
 * every spelling, the same settings for the local cluster as for compose, and pinned images. (No Docker
 * engine here to run them; this parses what would run. The e2e module's
 * TraefikConfigIntegrationTests loads the same files into the pinned Traefik binary.)
 */
class DeploymentConfigTests {

	private static final Path ROOT = Path.of("..");

	@Test
	void authReplicasCanBeScaled() {
		Map<String, Object> auth = service("auth-service");
		assertThat(auth).doesNotContainKeys("container_name", "ports");
	}

	@Test
	void everyImageIsPinned() {
		map(yaml("docker-compose.yml"), "services").forEach((name, service) -> {
			Object image = ((Map<?, ?>) service).get("image");
			if (image != null) {
				assertThat(image.toString()).as(name).contains(":").doesNotEndWith(":latest");
			}
		});
	}

	@Test
	void composeRunsTheTraefikReleaseTheLocalClusterAndTheTestsBuild() throws IOException {
		Matcher pinned = Pattern.compile("VERSION=\\$\\{GATEHOUSE_TRAEFIK_VERSION:-(v[0-9.]+)}")
			.matcher(Files.readString(ROOT.resolve("infra/local/traefik.sh")));
		assertThat(pinned.find()).isTrue();
		assertThat(service("traefik")).containsEntry("image", "traefik:" + pinned.group(1));
	}

	@Test
	void forwardAuthGoesThroughTheLoadBalancedInternalEntrypoint() {
		Map<String, Object> forwardAuth = map(middlewares().get("gatehouse-forward-auth"), "forwardAuth");
		assertThat(forwardAuth).containsEntry("address", "http://127.0.0.1:9000/internal/auth")
			.containsEntry("trustForwardHeader", false)
			.containsEntry("authRequestHeaders", List.of("Cookie", "Signature", "Signature-Input", "Content-Digest"))
			.containsKey("maxResponseBodySize");
		assertThat(map(map(staticConfig(), "entryPoints"), "auth")).containsEntry("address", "127.0.0.1:9000");

		Map<String, Object> labels = map(service("auth-service"), "labels");
		assertThat(labels).containsEntry("traefik.http.routers.gatehouse-auth.entrypoints", "auth")
			.containsEntry("traefik.http.services.gatehouse-auth.loadbalancer.healthcheck.path", "/actuator/health/readiness")
			.containsEntry("traefik.http.routers.gatehouse-auth.middlewares", "gatehouse-auth-retry@file");
		assertThat(map(middlewares().get("gatehouse-auth-retry"), "retry")).containsKey("attempts");
	}

	@Test
	void everySpellingOfAClientIdentityHeaderIsStripped() {
		Pattern regex = Pattern.compile(
				map(middlewares().get("gatehouse-forward-auth"), "forwardAuth").get("authResponseHeadersRegex").toString());
		assertThat(List.of("X-Ptl-Client-Id", "X_Ptl_Client_Id", "X-Ptl_Client-Id", "x-ptl-client-id", "X-PTL-ID"))
			.allMatch((name) -> regex.matcher(name).find());
		assertThat(List.of("X-Ptlx", "X-Forwarded-Uri", "Cookie")).noneMatch((name) -> regex.matcher(name).find());
		for (String entryPoint : List.of("web", "auth")) {
			assertThat(map(map(map(staticConfig(), "entryPoints"), entryPoint), "http"))
				.containsEntry("underscoreHeadersStrategy", "delete");
		}
	}

	@Test
	void theLocalClusterRunsTheSameEntrypointsAndHealthCheckAsCompose() {
		Map<String, Object> compose = map(staticConfig(), "entryPoints");
		Map<String, Object> local = map(yaml("infra/traefik/local/traefik.yml"), "entryPoints");
		for (String entryPoint : List.of("web", "auth")) {
			Map<String, Object> composeEntryPoint = map(compose, entryPoint);
			Map<String, Object> localEntryPoint = map(local, entryPoint);
			assertThat(localEntryPoint.get("http")).as(entryPoint).isEqualTo(composeEntryPoint.get("http"));
			assertThat(localEntryPoint.get("forwardedHeaders")).as(entryPoint).isEqualTo(composeEntryPoint.get("forwardedHeaders"));
		}
		Map<String, Object> localAuth = map(map(map(yaml("infra/traefik/local/routes.yml"), "http"), "services"), "gatehouse-auth");
		Map<String, Object> healthCheck = map(map(localAuth, "loadBalancer"), "healthCheck");
		Map<String, Object> labels = map(service("auth-service"), "labels");
		healthCheck.forEach((name, value) -> assertThat(labels)
			.containsEntry("traefik.http.services.gatehouse-auth.loadbalancer.healthcheck." + name.toLowerCase(), value.toString()));
		Map<String, Object> localRouter = map(map(map(yaml("infra/traefik/local/routes.yml"), "http"), "routers"), "gatehouse-auth");
		assertThat(localRouter.get("middlewares")).isEqualTo(List.of(labels.get("traefik.http.routers.gatehouse-auth.middlewares")));
	}

	@Test
	void demoAppIsProtectedByForwardAuthAndKeepsItsRouterWhenStopped() {
		map(yaml("docker-compose.yml"), "services").forEach((name, service) -> {
			Object labels = ((Map<?, ?>) service).get("labels");
			if (labels instanceof Map<?, ?> map && map.containsKey("gatehouse.app")) {
				assertThat(map.get("traefik.docker.allownonrunning")).as(name).isEqualTo("true");
			}
		});
		Map<String, Object> labels = map(service("whoami"), "labels");
		assertThat(labels).containsEntry("traefik.http.routers.demo.middlewares", "gatehouse-forward-auth@file");
		assertThat(map(map(staticConfig(), "providers"), "docker")).containsEntry("allowEmptyServices", true);
	}

	@Test
	void containersHaveMemoryLimitsAndAGracePeriodLongerThanTheDrain() throws IOException {
		assertThat(Files.readString(ROOT.resolve("infra/docker/Dockerfile"))).contains("-XX:MaxRAMPercentage=60");
		for (String name : List.of("admin-service", "auth-service", "traefik", "postgres", "redis")) {
			assertThat(map(map(map(service(name), "deploy"), "resources"), "limits")).as(name).containsKey("memory");
		}
		for (String name : List.of("admin-service", "auth-service")) {
			// Spring drains for up to 30 s (spring.lifecycle.timeout-per-shutdown-phase)
			assertThat(Integer.parseInt(service(name).get("stop_grace_period").toString().replace("s", ""))).as(name)
				.isGreaterThan(30);
		}
	}

	@Test
	void composeCommandsWorkWithoutTheSecretsAndReplicasUseTheReaderRole() throws IOException {
		assertThat(Files.readString(ROOT.resolve("docker-compose.yml"))).as("a ${VAR:?} breaks docker compose down/logs")
			.doesNotContainPattern("\\$\\{\\w+:\\?");
		assertThat(map(service("auth-service"), "environment")).containsEntry("SPRING_DATASOURCE_USERNAME", "gatehouse_auth");
		assertThat(service("admin-service").get("group_add")).asString().contains("${DOCKER_GID");
		assertThat(service("traefik").get("volumes").toString()).contains("./infra/traefik:/etc/traefik:ro");
		assertThat(Files.readString(ROOT.resolve("infra/docker/postgres-init/10-replica-role.sh")))
			.contains("create role gatehouse_auth login in role gatehouse_reader");
	}

	private static Map<String, Object> service(String name) {
		return map(map(yaml("docker-compose.yml"), "services"), name);
	}

	private static Map<String, Object> staticConfig() {
		return yaml("infra/traefik/traefik.yml");
	}

	private static Map<String, Object> middlewares() {
		return map(map(yaml("infra/traefik/dynamic/middlewares.yml"), "http"), "middlewares");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value, String key) {
		assertThat(value).as("parent of " + key).isInstanceOf(Map.class);
		Object child = ((Map<String, Object>) value).get(key);
		assertThat(child).as(key).isInstanceOf(Map.class);
		return (Map<String, Object>) child;
	}

	private static Map<String, Object> map(Map<String, Object> parent, String key) {
		return map((Object) parent, key);
	}

	/** The YAML file, with the @NAME@ placeholders of the local templates filled with sample values. */
	private static Map<String, Object> yaml(String file) {
		try {
			String text = Files.readString(ROOT.resolve(file)).replaceAll("@[A-Z_]+@", "1");
			try (Reader reader = new StringReader(text)) {
				return new Yaml().load(reader);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read " + file, ex);
		}
	}

}
