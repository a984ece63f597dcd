package dev.gatehouse.auth.forwardauth;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.gatehouse.auth.forwardauth.Decision.Deny;
import dev.gatehouse.auth.forwardauth.Decision.Reason;
import dev.gatehouse.model.app.Access;
import dev.gatehouse.model.app.App;
import dev.gatehouse.model.app.AppStatus;
import dev.gatehouse.model.app.PathRule;
import dev.gatehouse.model.identity.IdentityIds;
import dev.gatehouse.model.peer.Peer;
import dev.gatehouse.model.signature.HeaderFields;
import dev.gatehouse.model.signature.PeerKey;
import dev.gatehouse.model.signature.SignatureAlgorithm;
import dev.gatehouse.model.signature.SignatureHeaders;
import dev.gatehouse.model.signature.SignedRequest;
import dev.gatehouse.model.signature.Signer;
import dev.gatehouse.model.signature.VerificationPolicy;
import dev.gatehouse.model.terminal.Terminal;
import dev.gatehouse.model.terminal.TokenAudience;
import dev.gatehouse.model.terminal.TokenKey;
import dev.gatehouse.model.terminal.TokenSigner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision over in-memory sources ({@link InMemoryDecisions}, the fixture the decision benchmark uses).
 */
class ForwardAuthDeciderTests {

	private static final String HOST = "demo.example.org";

	private final KeyPair tokenKeys = TokenSigner.generateKeyPair();

	private final KeyPair peerKeys = ed25519();

	private final Peer peer = new Peer(IdentityIds.of(this.peerKeys.getPublic().getEncoded()), "Peer", "peer.example.org",
			new PeerKey(this.peerKeys.getPublic(), SignatureAlgorithm.ED25519).pem());

	private final InMemoryDecisions decisions = InMemoryDecisions.builder()
		.app(new App("demo", AppStatus.RUNNING,
				Map.of("/", new PathRule(Access.PUBLIC, Map.of()), "/private", new PathRule(Access.PRIVATE, Map.of()), "/peer",
						new PathRule(Access.PEER, Map.of()))))
		.terminal(new Terminal("t-1", "Laptop"))
		.tokenKey(new TokenKey(this.tokenKeys.getPublic().getEncoded()))
		.peer(this.peer)
		.build();

	@AfterEach
	void close() {
		this.decisions.close();
	}

	@Test
	void publicPathIsAllowedWithoutCredentials() {
		assertThat(this.decisions.allows(HOST, "/assets/app.js?v=3", null, null)).isTrue();
	}

	@Test
	void privatePathNeedsTheTokenOfAPairedTerminal() {
		assertThat(this.decisions.allows(HOST, "/private/notes", token("t-1"), null)).isTrue();
		assertThat(this.decisions.decision(HOST, "/private/notes", null, null)).isEqualTo(new Deny(Reason.UNAUTHENTICATED));
		assertThat(this.decisions.decision(HOST, "/private/notes", token("t-2"), null))
			.isEqualTo(new Deny(Reason.UNAUTHENTICATED));
	}

	@Test
	void unknownAppIsRefusedAsUnknown() {
		assertThat(this.decisions.decision("other.example.org", "/", null, null)).isEqualTo(new Deny(Reason.UNKNOWN_APP));
	}

	@Test
	void peerNonceIsAcceptedOnce() {
		SignedRequest signed = signed("n-1");
		assertThat(this.decisions.allows(HOST, "/peer/inbox", null, signed)).isTrue();
		assertThat(this.decisions.decision(HOST, "/peer/inbox", null, signed)).isEqualTo(new Deny(Reason.UNAUTHENTICATED));
		assertThat(this.decisions.allows(HOST, "/peer/inbox", null, signed("n-2"))).isTrue();
	}

	@Test
	void requestOnceDecidedIsDecidedFromL1Alone() {
		assertThat(this.decisions.allows(HOST, "/", null, null)).isTrue();
		assertThat(this.decisions.decide(HOST, "/", null, null)).isInstanceOf(Decision.Allow.class);
	}

	private String token(String terminalId) {
		Instant now = Instant.now();
		return new TokenSigner((ECPrivateKey) this.tokenKeys.getPrivate()).issue(terminalId, TokenAudience.APPS, now,
				now.plus(Duration.ofHours(1)));
	}

	private SignedRequest signed(String nonce) {
		SignedRequest unsigned = SignedRequest.of("GET", "https://demo.example.org/peer/inbox", HeaderFields.none());
		SignatureHeaders headers = new Signer(this.peer.shortId(), this.peerKeys.getPrivate(), SignatureAlgorithm.ED25519)
			.sign(unsigned, "sig1", VerificationPolicy.MINIMUM_COMPONENTS, Instant.now(), null, nonce);
		return SignedRequest.of("GET", "https", HOST, "/peer/inbox", HeaderFields.of(Map.of("signature-input",
				List.of(headers.signatureInput()), "signature", List.of(headers.signature()))));
	}

	private static KeyPair ed25519() {
		try {
			return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
