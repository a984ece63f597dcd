package dev.gatehouse.admin.identity;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import dev.gatehouse.admin.changelog.ChangeLog;
import dev.gatehouse.admin.config.AdminProperties;
import dev.gatehouse.admin.config.Problems;
import dev.gatehouse.admin.config.SpecViolations;
import dev.gatehouse.model.identity.PortalIdentity;
import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.signature.SignatureAlgorithm;
import dev.gatehouse.model.signature.Signer;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates and edits identities; a change that touches the default identity goes through the change log,
 * because the auth tier renders it into every app's headers. Public for one purpose only: other features
 * sign with the default identity's key through {@link #defaultSigner()}, and never see the key itself.
 */
@Service
public class IdentityService {

	private final SpecViolations violations;

	private final IdentityRepository identities;

	private final ChangeLog changeLog;

	private final String portalZone;

	IdentityService(IdentityRepository identities, ChangeLog changeLog, AdminProperties properties,
			SpecViolations violations) {
		this.identities = identities;
		this.violations = violations;
		this.changeLog = changeLog;
		this.portalZone = properties.portalZone();
	}

	@Transactional
	IdentityView create(IdentitySpec spec) {
		requireValid(spec);
		IdentityKeys keys = IdentityKeys.generate();
		this.changeLog.lock();
		boolean first = !this.identities.hasDefault();
		this.identities.insert(keys, spec, PortalIdentity.shortIdOf(keys.id()) + "." + this.portalZone, first);
		if (first) {
			this.changeLog.record(CacheKind.IDENTITY, CacheKind.DEFAULT_IDENTITY_KEY);
		}
		return this.identities.find(keys.id()).orElseThrow();
	}

	@Transactional
	IdentityView update(String id, IdentitySpec spec) {
		requireValid(spec);
		this.changeLog.lock();
		if (!this.identities.update(id, spec)) {
			throw notFound(id);
		}
		IdentityView updated = this.identities.find(id).orElseThrow();
		if (updated.isDefault()) {
			this.changeLog.record(CacheKind.IDENTITY, CacheKind.DEFAULT_IDENTITY_KEY);
		}
		return updated;
	}

	@Transactional
	IdentityView makeDefault(String id) {
		this.changeLog.lock();
		IdentityView identity = this.identities.find(id).orElseThrow(() -> notFound(id));
		if (!identity.isDefault()) {
			this.identities.makeDefault(id);
			this.changeLog.record(CacheKind.IDENTITY, CacheKind.DEFAULT_IDENTITY_KEY);
		}
		return this.identities.find(id).orElseThrow();
	}

	@Transactional(readOnly = true)
	List<IdentityView> list() {
		return this.identities.findAll();
	}

	@Transactional(readOnly = true)
	IdentityView getDefault() {
		return this.identities.findDefault().orElseThrow(() -> Problems.notFound("there is no identity yet"));
	}

	/**
	 * Signs as this installation: with the default identity's Ed25519 key, under its short id as
	 * {@code keyid} (what {@code GET /public/identity} names as {@code short_id}, and what peers look the key
	 * up by). Read on every call, so a new default identity signs from its first call on.
	 * @return the signer, empty while there is no identity
	 */
	@Transactional(readOnly = true)
	public Optional<Signer> defaultSigner() {
		return this.identities.findDefaultKeys()
			.map(keys -> new Signer(PortalIdentity.shortIdOf(keys.id()), privateKey(keys.privateKeyPem()),
					SignatureAlgorithm.ED25519));
	}

	private static PrivateKey privateKey(String pem) {
		String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "");
		try {
			return KeyFactory.getInstance("Ed25519")
				.generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(base64)));
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			throw new IllegalStateException("the default identity's private key is not a PKCS#8 Ed25519 key", ex);
		}
	}

	private void requireValid(IdentitySpec spec) {
		List<String> errors = this.violations.of(spec);
		if (!errors.isEmpty()) {
			throw Problems.invalid(errors);
		}
	}

	private static RuntimeException notFound(String id) {
		return Problems.notFound("identity '%s' does not exist".formatted(id));
	}

}
