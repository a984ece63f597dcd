package dev.gatehouse.admin.config;

import java.time.Duration;

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
 * @param pairingFailureWindow the window in which failed pairing attempts are counted
 * @param pairingFailuresPerClient failed attempts one client address may make per window
 * @param pairingFailuresTotal failed attempts all clients together may make per window
 * @param terminalTokenValidity how long a terminal token is valid; zero for tokens that never expire
 * (revocation is by deleting the terminal)
 * @param l2EntryTtl how long a tombstone the admin writes stays in Redis; at least the replicas' L2 TTL
 */
@ConfigurationProperties("gatehouse.admin")
public record AdminProperties(String token, @DefaultValue("gatehouse.localhost") String portalZone,
		@DefaultValue("5m") Duration pairingCodeValidity, @DefaultValue("10m") Duration pairingFailureWindow,
		@DefaultValue("5") int pairingFailuresPerClient, @DefaultValue("30") int pairingFailuresTotal,
		@DefaultValue("0s") Duration terminalTokenValidity, @DefaultValue("1h") Duration l2EntryTtl) {

	public AdminProperties {
		if (token == null || token.isBlank() || token.length() < 16) {
			throw new IllegalArgumentException(
					"gatehouse.admin.token (GATEHOUSE_ADMIN_TOKEN) must be set to a secret of at least 16 characters");
		}
		if (pairingCodeValidity.isNegative() || pairingCodeValidity.isZero()) {
			throw new IllegalArgumentException("gatehouse.admin.pairing-code-validity must be positive, not " + pairingCodeValidity);
		}
	}

	/** Never shows the token. */
	@Override
	public String toString() {
		return "AdminProperties[token=<hidden>, portalZone=" + this.portalZone + "]";
	}

}
