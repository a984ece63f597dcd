package dev.gatehouse.admin.config;

import java.time.Duration;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the admin-service.
 *
 * @param token the bearer token that authorizes admin API calls ({@code GATEHOUSE_ADMIN_TOKEN});
 * required, at least 16 characters
 * @param portalZone the zone identity domains live in: an identity's domain is
 * {@code <short id>.<portal zone>}
 * @param pairingCodeValidity how long a pairing code can be redeemed
 * @param pairingWindow the window in which pairing attempts are counted
 * @param pairingAttemptsPerClient attempts one client address may make per window before it is slowed
 * down: each further attempt doubles its wait, up to {@code pairingMaxBackoff}
 * @param pairingAttemptsTotal attempts all clients together may make per window: a ceiling far above what
 * one client can reach, so no single client can lock pairing for everyone
 * @param pairingMaxBackoff the longest a client is made to wait between attempts
 * @param appTokenValidity how long an app-access token (the {@code authorization} cookie) is valid;
 * renewed with {@code POST /api/terminals/{id}/tokens}
 * @param adminTokenValidity how long a terminal's admin token is valid; renewed the same way
 * @param l2EntryTtl how long a tombstone or an absence the admin writes stays in Redis; at least the replicas' L2 TTL
 * @param readerRole the PostgreSQL role the migrations grant the auth replicas' read access to (a
 * {@code NOLOGIN} role; replicas log in as a member of it)
 */
@ConfigurationProperties("gatehouse.admin")
public record AdminProperties(String token, @DefaultValue("gatehouse.localhost") String portalZone,
		@DefaultValue("5m") Duration pairingCodeValidity, @DefaultValue("10m") Duration pairingWindow,
		@DefaultValue("5") int pairingAttemptsPerClient, @DefaultValue("1000") int pairingAttemptsTotal,
		@DefaultValue("1h") Duration pairingMaxBackoff, @DefaultValue("7d") Duration appTokenValidity,
		@DefaultValue("30d") Duration adminTokenValidity, @DefaultValue("1h") Duration l2EntryTtl,
		@DefaultValue("gatehouse_reader") String readerRole) {

	private static final Pattern ROLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	/** An ASCII DNS name short enough that {@code <short id>.<zone>} stays a valid domain (253). */
	private static final Pattern ZONE = Pattern.compile("(?=.{1,246}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

	public AdminProperties {
		if (token == null || token.isBlank() || token.length() < 16) {
			throw new IllegalArgumentException(
					"gatehouse.admin.token (GATEHOUSE_ADMIN_TOKEN) must be set to a secret of at least 16 characters");
		}
		requirePositive("pairing-code-validity", pairingCodeValidity);
		requirePositive("pairing-window", pairingWindow);
		requirePositive("pairing-max-backoff", pairingMaxBackoff);
		requirePositive("app-token-validity", appTokenValidity);
		requirePositive("admin-token-validity", adminTokenValidity);
		if (pairingAttemptsPerClient < 1 || pairingAttemptsTotal < pairingAttemptsPerClient) {
			throw new IllegalArgumentException(("gatehouse.admin.pairing-attempts-per-client (%d) must be at least 1 and "
					+ "at most pairing-attempts-total (%d)").formatted(pairingAttemptsPerClient, pairingAttemptsTotal));
		}
		if (!ZONE.matcher(portalZone).matches()) {
			throw new IllegalArgumentException(
					"gatehouse.admin.portal-zone must be a lower-case ASCII DNS name of at most 246 characters, not '%s'"
						.formatted(portalZone));
		}
		if (!ROLE.matcher(readerRole).matches()) {
			throw new IllegalArgumentException(
					"gatehouse.admin.reader-role must be a lower-case PostgreSQL role name, not '%s'".formatted(readerRole));
		}
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("gatehouse.admin.%s must be positive, not %s".formatted(name, value));
		}
	}

	/** Never shows the token. */
	@Override
	public String toString() {
		return "AdminProperties[token=<hidden>, portalZone=" + this.portalZone + "]";
	}

}
