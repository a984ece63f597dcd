package dev.gatehouse.system;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose file and Traefik's configuration say what the deployment needs: forwardAuth through a
 * load-balanced, health-checked, retried service over scalable replicas, identity headers copied by
 * prefix, and pinned images. (No Docker engine here to run them; this parses what would run.)
 */
class DeploymentConfigTests {

	private static final Path ROOT = Path.of("..");

	@Test
	void authReplicasCanBeScaled() {
		Map<String, Object> auth = map(map(yaml("docker-compose.yml"), "services"), "auth-service");
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
	void forwardAuthGoesThroughTheLoadBalancedInternalEntrypoint() {
		Map<String, Object> forwardAuth = map(
				map(map(map(yaml("infra/traefik/dynamic.yml"), "http"), "middlewares"), "gatehouse-forward-auth"),
				"forwardAuth");
		assertThat(forwardAuth).containsEntry("address", "http://127.0.0.1:9000/internal/auth")
			.containsEntry("authResponseHeadersRegex", "^X-Ptl-")
			.containsEntry("trustForwardHeader", false);
		Map<String, Object> entryPoints = map(yaml("infra/traefik/traefik.yml"), "entryPoints");
		assertThat(map(entryPoints, "auth")).containsEntry("address", "127.0.0.1:9000");

		Map<String, Object> labels = map(map(map(yaml("docker-compose.yml"), "services"), "auth-service"), "labels");
		assertThat(labels).containsEntry("traefik.http.routers.gatehouse-auth.entrypoints", "auth")
			.containsEntry("traefik.http.services.gatehouse-auth.loadbalancer.healthcheck.path", "/actuator/health/readiness")
			.containsEntry("traefik.http.routers.gatehouse-auth.middlewares", "gatehouse-auth-retry@file");
		assertThat(map(map(map(yaml("infra/traefik/dynamic.yml"), "http"), "middlewares"), "gatehouse-auth-retry"))
			.containsKey("retry");
	}

	@Test
	void demoAppIsProtectedByForwardAuth() {
		Map<String, Object> labels = map(map(map(yaml("docker-compose.yml"), "services"), "whoami"), "labels");
		assertThat(labels).containsEntry("traefik.http.routers.demo.middlewares", "gatehouse-forward-auth@file");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> parent, String key) {
		Object value = parent.get(key);
		assertThat(value).as(key).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	private static Map<String, Object> yaml(String file) {
		try (Reader reader = Files.newBufferedReader(ROOT.resolve(file))) {
			return new Yaml().load(reader);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read " + file, ex);
		}
	}

}
