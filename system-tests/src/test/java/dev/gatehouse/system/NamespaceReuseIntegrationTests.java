package dev.gatehouse.system;

import dev.gatehouse.testsupport.TestServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis namespace reused by a new installation (a reinstall with a fresh database) holds entries whose
 * seqs belong to the old change log. The new admin claims the namespace and drops them, so they can
 * neither be served nor block new entries.
 */
class NamespaceReuseIntegrationTests {

	@Test
	void newInstallationNeverSeesTheOldOnesEntries() {
		String namespace = TestServices.newNamespace();
		try (GatehouseCluster old = GatehouseCluster.start(1, GatehouseCluster.Options.DEFAULTS.withNamespace(namespace))) {
			for (int version = 0; version < 5; version++) {
				assertThat(old.admin("PUT", "/api/apps/shared", app("old-" + version)).statusCode()).isIn(200, 201);
			}
			assertThat(header(old, "shared")).isEqualTo("old-4");
		}
		try (GatehouseCluster fresh = GatehouseCluster.start(1, GatehouseCluster.Options.DEFAULTS.withNamespace(namespace))) {
			assertThat(fresh.admin("PUT", "/api/apps/shared", app("new")).statusCode()).isEqualTo(201);
			assertThat(header(fresh, "shared")).isEqualTo("new");
		}
	}

	private static String app(String version) {
		return "{\"paths\": {\"/\": {\"access\": \"public\", \"headers\": {\"X-Ptl-Version\": \"%s\"}}}}".formatted(version);
	}

	private static String header(GatehouseCluster cluster, String app) {
		return ForwardAuthIntegrationTests.header(cluster.auth(0, app + ".example.org", "/"), "X-Ptl-Version");
	}

}
