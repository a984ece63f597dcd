package dev.gatehouse.bench;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.auth.forwardauth.InMemoryDecisions;
import dev.gatehouse.model.app.Access;
import dev.gatehouse.model.app.App;
import dev.gatehouse.model.app.AppStatus;
import dev.gatehouse.model.app.PathRule;
import dev.gatehouse.model.identity.IdentityIds;
import dev.gatehouse.model.identity.PortalIdentity;
import dev.gatehouse.model.peer.Peer;
import dev.gatehouse.model.signature.HeaderFields;
import dev.gatehouse.model.signature.PeerKey;
import dev.gatehouse.model.signature.SignatureAlgorithm;
import dev.gatehouse.model.signature.SignatureHeaders;
import dev.gatehouse.model.signature.SignedRequest;
import dev.gatehouse.model.signature.Signer;
import dev.gatehouse.model.signature.VerificationPolicy;
import dev.gatehouse.model.terminal.Terminal;
import dev.gatehouse.model.terminal.TerminalTokens;
import dev.gatehouse.model.terminal.TokenAudience;
import dev.gatehouse.model.terminal.TokenKey;
import dev.gatehouse.model.terminal.TokenSigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-process decision with every entry in L1: host parsing, path normalization and matching, JWT
 * verification with the cached key, terminal lookup, peer signature verification and header rendering.
 * The decider, caches, verifiers and activity recorder are the service's own, reached through
 * {@link InMemoryDecisions} in auth-service's test-jar, so they stay package-private there and this class
 * stays in this module's package; its sources are in memory and it has no Redis, which a warm decision
 * never calls. Setup decides each request once, waiting for its entries, and requires it to be allowed;
 * from then on no I/O happens, and a measured decision that found an entry cold would fail, not wait.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
public class DecisionBenchmark {

	private static final String HOST = "demo.example.org";

	private static final String PUBLIC_URI = "/assets/app.js?v=3";

	private static final String PRIVATE_URI = "/private/notes/1";

	private static final String PEER_URI = "/peer/inbox?since=3";

	private InMemoryDecisions decisions;

	private String token;

	private TerminalTokens tokens;

	private SignedRequest ed25519Request;

	private SignedRequest rsaRequest;

	private BareVerification ed25519Bare;

	private BareVerification rsaBare;

	@Setup
	public void warmCaches() {
		KeyPair tokenKeys = TokenSigner.generateKeyPair();
		TokenKey tokenKey = new TokenKey(tokenKeys.getPublic().getEncoded());
		this.token = new TokenSigner((ECPrivateKey) tokenKeys.getPrivate()).issue("t-1", TokenAudience.APPS, Instant.now(),
				Instant.now().plus(Duration.ofDays(1)));
		this.tokens = new TerminalTokens(tokenKey, TokenAudience.APPS);
		App app = new App("demo", AppStatus.RUNNING,
				Map.of("/", new PathRule(Access.PUBLIC, Map.of("X-Ptl-Foo", "baz")), "/private",
						new PathRule(Access.PRIVATE, Map.of("X-Ptl-Foo", "bar {{ auth.client_name }}", "X-Ptl-Domain",
								"{{ portal.domain }}")),
						"/peer", new PathRule(Access.PEER, Map.of("X-Ptl-Foo", "from {{ auth.client_name }}"))));
		KeyPair ed25519 = keyPair("Ed25519", 0);
		KeyPair rsa = keyPair("RSA", 4096);
		this.ed25519Request = signedRequest(ed25519, SignatureAlgorithm.ED25519);
		this.rsaRequest = signedRequest(rsa, SignatureAlgorithm.RSA_PSS_SHA512);
		this.ed25519Bare = bareVerification(ed25519, "Ed25519", null);
		this.rsaBare = bareVerification(rsa, "RSASSA-PSS",
				new PSSParameterSpec("SHA-512", "MGF1", MGF1ParameterSpec.SHA512, 64, 1));
		PortalIdentity identity = new PortalIdentity("3fj3mn4wm5h4vy55kqeggrxxe7pjtvjs7persjbjdn3uzp5sgqwq", "3fj3mn",
				"3fj3mn.example.org", "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n", "Owner", "");
		this.decisions = InMemoryDecisions.builder()
			.app(app)
			.terminal(new Terminal("t-1", "Laptop"))
			.identity(identity)
			.tokenKey(tokenKey)
			.peer(peer(ed25519, SignatureAlgorithm.ED25519))
			.peer(peer(rsa, SignatureAlgorithm.RSA_PSS_SHA512))
			.build();
		// the first decision of each request waits for its entries to load; then every entry is warm
		if (!this.decisions.allows(HOST, PUBLIC_URI, null, null) || !this.decisions.allows(HOST, PRIVATE_URI, this.token, null)
				|| !this.decisions.allows(HOST, PEER_URI, null, this.ed25519Request)
				|| !this.decisions.allows(HOST, PEER_URI, null, this.rsaRequest) || !bareEd25519Verification()
				|| !bareRsa4096Verification() || tokenVerificationWithoutMemo().isEmpty()) {
			throw new IllegalStateException("the benchmark's requests must be allowed");
		}
	}

	@TearDown
	public void close() {
		this.decisions.close();
	}

	@Benchmark
	public Object publicPath() {
		return this.decisions.decide(HOST, PUBLIC_URI, null, null);
	}

	@Benchmark
	public Object privatePath() {
		return this.decisions.decide(HOST, PRIVATE_URI, this.token, null);
	}

	/** A warm peer request signed with Ed25519 (no nonce, so no nonce ledger): the verification is the cost. */
	@Benchmark
	public Object peerPathEd25519() {
		return this.decisions.decide(HOST, PEER_URI, null, this.ed25519Request);
	}

	/** The same with the original platform's RSA keys (4096 bits, RSA-PSS-SHA512). */
	@Benchmark
	public Object peerPathRsa4096() {
		return this.decisions.decide(HOST, PEER_URI, null, this.rsaRequest);
	}

	/** The floor of a peer decision: one bare Ed25519 verification of a message the size of the signature base. */
	@Benchmark
	public boolean bareEd25519Verification() {
		return this.ed25519Bare.verify();
	}

	/** The floor with the RSA-4096 key. */
	@Benchmark
	public boolean bareRsa4096Verification() {
		return this.rsaBare.verify();
	}

	/** What the remembered-token memo saves a warm private request: one full ES256 verification. */
	@Benchmark
	public Optional<TerminalTokens.Verified> tokenVerificationWithoutMemo() {
		return this.tokens.verifySignature(this.token);
	}

	private static KeyPair keyPair(String algorithm, int bits) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
			if (bits > 0) {
				generator.initialize(bits);
			}
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Peer peer(KeyPair keys, SignatureAlgorithm algorithm) {
		return new Peer(IdentityIds.of(keys.getPublic().getEncoded()), "Peer", "peer.example.org",
				new PeerKey(keys.getPublic(), algorithm).pem());
	}

	/** A request to {@link #PEER_URI} signed as the original platform signs: method, authority, target URI. */
	private static SignedRequest signedRequest(KeyPair keys, SignatureAlgorithm algorithm) {
		SignedRequest unsigned = SignedRequest.of("GET", "https://" + HOST + PEER_URI, HeaderFields.none());
		SignatureHeaders headers = new Signer(peer(keys, algorithm).shortId(), keys.getPrivate(), algorithm).sign(unsigned, "sig1",
				VerificationPolicy.MINIMUM_COMPONENTS, Instant.now(), null, null);
		Map<String, List<String>> fields = Map.of("signature-input", List.of(headers.signatureInput()), "signature",
				List.of(headers.signature()));
		return SignedRequest.of("GET", "https", HOST, PEER_URI, HeaderFields.of(fields));
	}

	private static BareVerification bareVerification(KeyPair keys, String algorithm, AlgorithmParameterSpec parameters) {
		try {
			byte[] message = new byte[160];
			Signature signer = Signature.getInstance(algorithm);
			if (parameters != null) {
				signer.setParameter(parameters);
			}
			signer.initSign(keys.getPrivate());
			signer.update(message);
			return new BareVerification(keys.getPublic(), algorithm, parameters, message, signer.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** One JCA verification, as the verifier makes it: a fresh {@code Signature} per call. */
	private record BareVerification(PublicKey key, String algorithm, AlgorithmParameterSpec parameters, byte[] message,
			byte[] signature) {

		boolean verify() {
			try {
				Signature verifier = Signature.getInstance(this.algorithm);
				if (this.parameters != null) {
					verifier.setParameter(this.parameters);
				}
				verifier.initVerify(this.key);
				verifier.update(this.message);
				return verifier.verify(this.signature);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
