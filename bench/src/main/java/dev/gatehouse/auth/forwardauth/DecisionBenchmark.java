package dev.gatehouse.auth.forwardauth;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatehouse.auth.activity.ActivityRecorder;
import dev.gatehouse.auth.cache.CacheSettings;
import dev.gatehouse.auth.cache.CoherenceLease;
import dev.gatehouse.auth.cache.L2Settings;
import dev.gatehouse.auth.cache.L2Store;
import dev.gatehouse.auth.cache.TieredCacheFactory;
import dev.gatehouse.auth.cache.Versioned;
import dev.gatehouse.auth.config.AuthProperties;
import dev.gatehouse.model.app.Access;
import dev.gatehouse.model.app.App;
import dev.gatehouse.model.app.AppStatus;
import dev.gatehouse.model.app.PathRule;
import dev.gatehouse.model.identity.PortalIdentity;
import dev.gatehouse.model.identity.IdentityIds;
import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.peer.Peer;
import dev.gatehouse.model.signature.HeaderFields;
import dev.gatehouse.model.signature.PeerKey;
import dev.gatehouse.model.signature.SignatureAlgorithm;
import dev.gatehouse.model.signature.SignatureHeaders;
import dev.gatehouse.model.signature.SignatureVerifier;
import dev.gatehouse.model.signature.SignedRequest;
import dev.gatehouse.model.signature.Signer;
import dev.gatehouse.model.signature.VerificationPolicy;
import dev.gatehouse.model.invalidation.RedisKeys;
import dev.gatehouse.model.terminal.Terminal;
import dev.gatehouse.model.terminal.TerminalTokens;
import dev.gatehouse.model.terminal.TokenAudience;
import dev.gatehouse.model.terminal.TokenKey;
import dev.gatehouse.model.terminal.TokenSigner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The in-process decision with every entry in L1: host parsing, path normalization and matching, JWT
 * verification with the cached key, terminal lookup and header rendering. The caches are the real ones;
 * the first lookups fill them (through a local Redis, {@code GATEHOUSE_BENCH_REDIS}, default
 * redis://127.0.0.1:6379), after which no I/O happens.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
public class DecisionBenchmark {

	private RedissonClient redis;

	private ExecutorService loader;

	private ForwardAuthDecider decider;

	private String token;

	private TerminalTokens tokens;

	private SignedRequest ed25519Request;

	private SignedRequest rsaRequest;

	private BareVerification ed25519Bare;

	private BareVerification rsaBare;

	@Setup
	public void warmCaches() {
		Config config = new Config();
		config.useSingleServer().setAddress(System.getenv().getOrDefault("GATEHOUSE_BENCH_REDIS", "redis://127.0.0.1:6379"));
		this.redis = Redisson.create(config);
		this.loader = Executors.newFixedThreadPool(2);
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		RedisKeys keys = new RedisKeys("bench-" + UUID.randomUUID().toString().substring(0, 8));
		Ticker frozen = () -> 0L;
		CoherenceLease lease = new CoherenceLease(Duration.ofSeconds(3), frozen);
		lease.renew(0);
		L2Store l2 = new L2Store(this.redis, keys, new L2Settings(Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofSeconds(1)),
				Ticker.systemTicker(), meters);
		TieredCacheFactory caches = new TieredCacheFactory(l2,
				new CacheSettings(10_000, Duration.ofHours(1)), lease, this.loader, meters);
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
		Peer ed25519Peer = peer(ed25519, SignatureAlgorithm.ED25519);
		Peer rsaPeer = peer(rsa, SignatureAlgorithm.RSA_PSS_SHA512);
		Map<String, Peer> peers = Map.of(ed25519Peer.shortId(), ed25519Peer, rsaPeer.shortId(), rsaPeer);
		this.ed25519Request = signedRequest(ed25519, SignatureAlgorithm.ED25519);
		this.rsaRequest = signedRequest(rsa, SignatureAlgorithm.RSA_PSS_SHA512);
		this.ed25519Bare = bareVerification(ed25519, "Ed25519", null);
		this.rsaBare = bareVerification(rsa, "RSASSA-PSS",
				new PSSParameterSpec("SHA-512", "MGF1", MGF1ParameterSpec.SHA512, 64, 1));
		PortalIdentity identity = new PortalIdentity("3fj3mn4wm5h4vy55kqeggrxxe7pjtvjs7persjbjdn3uzp5sgqwq", "3fj3mn",
				"3fj3mn.example.org", "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n", "Owner", "");
		AuthProperties properties = new AuthProperties(Duration.ofSeconds(1), 2, 10_000, Duration.ofHours(1), Duration.ofHours(1),
				Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(500),
				Duration.ofHours(1), Duration.ofMillis(250), "bench", Duration.ZERO);
		this.decider = new ForwardAuthDecider(
				caches.create(CacheKind.APP, App.class, key -> new Versioned<>(1, key.equals("demo") ? app : null),
						CompiledApp::compile),
				caches.create(CacheKind.TERMINAL, Terminal.class, key -> new Versioned<>(1, new Terminal(key, "Laptop")),
						terminal -> terminal),
				caches.create(CacheKind.IDENTITY, PortalIdentity.class, key -> new Versioned<>(1, identity), value -> value),
				caches.create(CacheKind.SIGNING_KEY, TokenKey.class, key -> new Versioned<>(1, tokenKey), TokenVerifier::new),
				caches.createWithoutL2(CacheKind.PEER, Peer.class, key -> new Versioned<>(1, peers.get(key)), KnownPeer::compile),
				new SignatureVerifier(VerificationPolicy.of(Duration.ofHours(1), Duration.ofSeconds(30))),
				new NonceLedger(this.redis, keys, new PeerSignatureProperties(Duration.ofHours(1), Duration.ofSeconds(30),
						VerificationPolicy.MINIMUM_COMPONENTS), properties),
				new ActivityRecorder(this.redis, keys, properties, Clock.systemUTC(), meters), Clock.systemUTC());
		// the first decisions wait for their entries to load; then every entry is warm
		for (SignedRequest signed : new SignedRequest[] { null, this.ed25519Request, this.rsaRequest }) {
			waitingDecision("/peer/inbox?since=3", (signed != null) ? null : this.token, signed);
		}
		waitingDecision("/assets/app.js?v=3", null, null);
		if (!(publicPath() instanceof Decision.Allow) || !(privatePath() instanceof Decision.Allow)
				|| !(peerPathEd25519() instanceof Decision.Allow) || !(peerPathRsa4096() instanceof Decision.Allow)
				|| !bareEd25519Verification() || !bareRsa4096Verification()) {
			throw new IllegalStateException("the benchmark's requests must be allowed");
		}
	}

	private Decision waitingDecision(String uri, String token, SignedRequest signed) {
		Lookups lookups = new Lookups();
		while (true) {
			try {
				return this.decider.decide("demo.example.org", uri, token, signed, lookups);
			}
			catch (Lookups.Pending pending) {
				pending.future().join();
				lookups.completed(pending);
			}
		}
	}

	@TearDown
	public void close() {
		this.loader.shutdownNow();
		this.redis.shutdown();
	}

	@Benchmark
	public Decision publicPath() {
		return this.decider.decide("demo.example.org", "/assets/app.js?v=3", null, null, new Lookups());
	}

	@Benchmark
	public Decision privatePath() {
		return this.decider.decide("demo.example.org", "/private/notes/1", this.token, null, new Lookups());
	}

	/** A warm peer request signed with Ed25519 (no nonce, so no Redis call): the verification is the cost. */
	@Benchmark
	public Decision peerPathEd25519() {
		return this.decider.decide("demo.example.org", "/peer/inbox?since=3", null, this.ed25519Request, new Lookups());
	}

	/** The same with the original platform's RSA keys (4096 bits, RSA-PSS-SHA512). */
	@Benchmark
	public Decision peerPathRsa4096() {
		return this.decider.decide("demo.example.org", "/peer/inbox?since=3", null, this.rsaRequest, new Lookups());
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

	/** A request to {@code /peer/inbox} signed as the original platform signs: method, authority, target URI. */
	private static SignedRequest signedRequest(KeyPair keys, SignatureAlgorithm algorithm) {
		SignedRequest unsigned = SignedRequest.of("GET", "https://demo.example.org/peer/inbox?since=3", HeaderFields.none());
		SignatureHeaders headers = new Signer(peer(keys, algorithm).shortId(), keys.getPrivate(), algorithm).sign(unsigned, "sig1",
				VerificationPolicy.MINIMUM_COMPONENTS, Instant.now(), null, null);
		Map<String, List<String>> fields = Map.of("signature-input", List.of(headers.signatureInput()), "signature",
				List.of(headers.signature()));
		return SignedRequest.of("GET", "https", "demo.example.org", "/peer/inbox?since=3", HeaderFields.of(fields));
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
