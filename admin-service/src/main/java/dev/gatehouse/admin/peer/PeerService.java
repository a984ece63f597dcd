package dev.gatehouse.admin.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.gatehouse.admin.changelog.ChangeLog;
import dev.gatehouse.admin.config.Problems;
import dev.gatehouse.admin.config.SpecViolations;
import dev.gatehouse.model.identity.IdentityIds;
import dev.gatehouse.model.identity.PortalIdentity;
import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.peer.Peer;
import dev.gatehouse.model.signature.PeerKey;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Adds, replaces and removes peers. A peer's id is bound to its key: the key's fingerprint (an identity
 * id) must start with it. Replicas cache peers by short id, so every change goes through the change log
 * under that key, and a removed peer is refused everywhere within the same bound as a revoked terminal.
 */
@Service
public class PeerService {

	/** An identity id (lower-case base32) or a prefix of one, at least a short id long. */
	private static final Pattern ID = Pattern.compile("[a-z2-7]{%d,52}".formatted(PortalIdentity.SHORT_ID_LENGTH));

	private final SpecViolations violations;

	private final PeerRepository peers;

	private final IdentityDocuments documents;

	private final ChangeLog changeLog;

	private final TransactionTemplate transactions;

	PeerService(PeerRepository peers, IdentityDocuments documents, ChangeLog changeLog, TransactionTemplate transactions,
			SpecViolations violations) {
		this.peers = peers;
		this.violations = violations;
		this.documents = documents;
		this.changeLog = changeLog;
		this.transactions = transactions;
	}

	/**
	 * Adds or replaces a peer. When no key is given it is fetched from the peer's identity document first,
	 * outside any transaction, within the configured timeout.
	 * @return true when the peer is new
	 */
	boolean put(String id, PeerSpec spec) {
		List<String> errors = new ArrayList<>(this.violations.of(spec));
		if (!ID.matcher(id).matches()) {
			errors.add("id '%s' must be an identity id or a prefix of one: %d to 52 characters a-z, 2-7"
				.formatted(id, PortalIdentity.SHORT_ID_LENGTH));
		}
		if (!errors.isEmpty()) {
			throw Problems.invalid(errors);
		}
		boolean given = spec.publicKeyPem() != null && !spec.publicKeyPem().isBlank();
		String pem = given ? spec.publicKeyPem() : resolve(spec.domain());
		PeerKey key = parse(pem);
		String fingerprint = IdentityIds.of(key.publicKey().getEncoded());
		if (!fingerprint.startsWith(id)) {
			throw Problems.invalid(List.of("id '%s' is not bound to this key: its fingerprint is %s".formatted(id, fingerprint)));
		}
		String shortId = PortalIdentity.shortIdOf(id);
		return this.transactions.execute(status -> {
			this.changeLog.lock();
			Optional<PeerView> sameShortId = this.peers.findByShortId(shortId);
			if (sameShortId.isPresent() && !sameShortId.get().id().equals(id)) {
				throw Problems.conflict("peer '%s' already has the short id %s that signatures name as keyid"
					.formatted(sameShortId.get().id(), shortId));
			}
			boolean created = this.peers.upsert(id, shortId, spec.name().strip(), spec.domain(), key.pem(),
					given ? "given" : "identity-document");
			this.changeLog.record(CacheKind.PEER, shortId);
			return created;
		});
	}

	/**
	 * A registered peer, read on every call (a removed peer is gone the moment its removal commits).
	 * @param idOrShortId its id as registered, or its short id (the {@code keyid} its signatures name)
	 * @return the peer, or empty
	 */
	public Optional<Peer> find(String idOrShortId) {
		return this.peers.findPeer(idOrShortId);
	}

	PeerView get(String id) {
		return this.peers.find(id).orElseThrow(() -> notFound(id));
	}

	List<PeerView> list() {
		return this.peers.findAll();
	}

	void delete(String id) {
		this.transactions.executeWithoutResult(status -> {
			this.changeLog.lock();
			if (!this.peers.delete(id)) {
				throw notFound(id);
			}
			this.changeLog.recordRemoval(CacheKind.PEER, PortalIdentity.shortIdOf(id));
		});
	}

	/** The key as the replicas will read it: the same parser, so nothing is stored that they would refuse. */
	private static PeerKey parse(String pem) {
		try {
			return PeerKey.fromPem(pem);
		}
		catch (IllegalArgumentException ex) {
			throw Problems.invalid(List.of("public_key_pem: " + ex.getMessage()));
		}
	}

	private String resolve(String domain) {
		try {
			return this.documents.publicKeyPem(domain);
		}
		catch (IdentityDocuments.IdentityDocumentException ex) {
			throw Problems.invalid(List.of("no public_key_pem given, and the peer's identity document could not be used: "
					+ ex.getMessage()));
		}
	}

	private static RuntimeException notFound(String id) {
		return Problems.notFound("peer '%s' does not exist".formatted(id));
	}

}
