package dev.gatehouse.admin.peer;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the admin resolves a peer's key when none is given.
 *
 * @param identityUrl where a peer serves its public identity document; {@code {domain}} is replaced by the
 * peer's domain
 * @param resolveTimeout the longest an admin call waits for that document
 */
@ConfigurationProperties("gatehouse.admin.peers")
record PeerProperties(@DefaultValue("https://{domain}/public/identity") String identityUrl,
		@DefaultValue("3s") Duration resolveTimeout) {

	PeerProperties {
		if (!identityUrl.contains("{domain}") || !(identityUrl.startsWith("https://") || identityUrl.startsWith("http://"))) {
			throw new IllegalArgumentException(
					"gatehouse.admin.peers.identity-url must be an http(s) URL containing {domain}, not '%s'".formatted(identityUrl));
		}
		if (resolveTimeout.isNegative() || resolveTimeout.isZero() || resolveTimeout.compareTo(Duration.ofSeconds(30)) > 0) {
			throw new IllegalArgumentException(
					"gatehouse.admin.peers.resolve-timeout must be between 0 and 30 s, not " + resolveTimeout);
		}
	}

}
