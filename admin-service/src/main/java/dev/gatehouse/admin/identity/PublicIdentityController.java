package dev.gatehouse.admin.identity;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /public/identity}: who this installation is, for peers that add it by id alone. No
 * authentication, nothing secret: the default identity's id, name, domain and public key.
 */
@RestController
class PublicIdentityController {

	private final IdentityService identities;

	PublicIdentityController(IdentityService identities) {
		this.identities = identities;
	}

	@GetMapping("/public/identity")
	PublicIdentity identity() {
		IdentityView identity = this.identities.getDefault();
		return new PublicIdentity(identity.id(), identity.shortId(), identity.name(), identity.domain(),
				identity.publicKeyPem());
	}

	/**
	 * The public identity document.
	 *
	 * @param id the identity id
	 * @param shortId the {@code keyid} its signatures name
	 * @param name its display name
	 * @param domain its portal domain
	 * @param publicKeyPem its public key
	 */
	record PublicIdentity(String id, String shortId, String name, String domain, String publicKeyPem) {
	}

}
