package dev.gatehouse.auth.forwardauth;

import java.util.Optional;

import dev.gatehouse.model.peer.Peer;
import dev.gatehouse.model.signature.PeerKey;

/**
 * A peer ready for verification: its key parsed once, when it enters L1.
 *
 * @param peer the peer
 * @param key its parsed key, or null when the stored key cannot be read (the peer is then never verified)
 */
record KnownPeer(Peer peer, PeerKey key) {

	static KnownPeer compile(Peer peer) {
		PeerKey key;
		try {
			key = PeerKey.fromPem(peer.publicKeyPem());
		}
		catch (IllegalArgumentException ex) {
			// the admin stores only keys this parser reads; a row edited by hand is refused, not trusted
			key = null;
		}
		return new KnownPeer(peer, key);
	}

	Optional<PeerKey> verificationKey() {
		return Optional.ofNullable(this.key);
	}

}
