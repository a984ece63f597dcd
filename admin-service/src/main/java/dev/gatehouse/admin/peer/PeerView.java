package dev.gatehouse.admin.peer;

import java.time.Instant;

/**
 * A peer as the admin API shows it.
 *
 * @param id its identity id (or the prefix it was added under)
 * @param shortId the {@code keyid} its signatures name
 * @param name its name
 * @param domain its portal domain
 * @param publicKeyPem its public key
 * @param keySource {@code given} or {@code identity-document} (fetched from the peer)
 * @param createdAt when it was added
 * @param updatedAt when it was last changed
 */
record PeerView(String id, String shortId, String name, String domain, String publicKeyPem, String keySource,
		Instant createdAt, Instant updatedAt) {
}
