package dev.gatehouse.auth.forwardauth;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import dev.gatehouse.auth.activity.ActivityRecorder;
import dev.gatehouse.auth.cache.CacheSettings;
import dev.gatehouse.auth.cache.CoherenceLease;
import dev.gatehouse.auth.cache.TieredCache;
import dev.gatehouse.auth.cache.TieredCacheFactory;
import dev.gatehouse.auth.cache.Versioned;
import dev.gatehouse.auth.config.AuthProperties;
import dev.gatehouse.model.app.App;
import dev.gatehouse.model.identity.PortalIdentity;
import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.peer.Peer;
import dev.gatehouse.model.signature.SignatureVerifier;
import dev.gatehouse.model.signature.SignedRequest;
import dev.gatehouse.model.signature.VerificationPolicy;
import dev.gatehouse.model.terminal.Terminal;
import dev.gatehouse.model.terminal.TokenKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The production decision ({@link ForwardAuthDecider}) over in-memory sources, with no PostgreSQL and no
 * Redis: the real L1 caches, compiled apps, token verifier, signature verifier and activity recorder.
 * Every cache is L1-only ({@link TieredCacheFactory#createWithoutL2}) and loads from what the builder was
 * given; the coherence lease never lapses (nothing changes); nonces are remembered in memory, for good;
 * the recorder coalesces activity as in a replica and its batches go nowhere (nothing flushes them).
 * <p>
 * Other modules reach the decision through this class alone, from this module's test-jar: the decision
 * benchmark (bench/) does. It lives in the decider's package and in the same Maven module, so the
 * decider and its collaborators stay package-private and no package is split across modules; it lives
 * in test sources, so no replica ships it.
 */
public final class InMemoryDecisions implements AutoCloseable {

	private final ForwardAuthDecider decider;

	private final ExecutorService loader;

	private InMemoryDecisions(Builder builder) {
		// loads and Caffeine's maintenance run on these threads, as on a replica's loaders: never on the deciding one
		this.loader = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("in-memory-loader-", 0).daemon().factory());
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		CoherenceLease lease = new CoherenceLease(Duration.ofSeconds(3), () -> 0L);
		lease.renew(0);
		// no L2 store: every cache below is created without one, so none is ever read
		TieredCacheFactory caches = new TieredCacheFactory(null, new CacheSettings(10_000, Duration.ofHours(1)), lease,
				this.loader, meters);
		Map<String, App> apps = Map.copyOf(builder.apps);
		Map<String, Terminal> terminals = Map.copyOf(builder.terminals);
		Map<String, Peer> peers = Map.copyOf(builder.peers);
		PortalIdentity identity = builder.identity;
		TokenKey tokenKey = builder.tokenKey;
		// the service's defaults; the recorder reads only the replica id
		AuthProperties properties = new Binder(new MapConfigurationPropertySource(Map.of("gatehouse.auth.replica-id",
				"in-memory"))).bindOrCreate("gatehouse.auth", AuthProperties.class);
		// an hour, not the service's 5 minutes: a long benchmark must not see its signatures expire and time refusals
		VerificationPolicy policy = new PeerSignatureProperties(Duration.ofHours(1), Duration.ofSeconds(30),
				VerificationPolicy.MINIMUM_COMPONENTS).policy();
		Set<String> spentNonces = ConcurrentHashMap.newKeySet();
		this.decider = new ForwardAuthDecider(cache(caches, CacheKind.APP, App.class, apps::get, CompiledApp::compile),
				cache(caches, CacheKind.TERMINAL, Terminal.class, terminals::get, Function.identity()),
				cache(caches, CacheKind.IDENTITY, PortalIdentity.class, key -> identity, Function.identity()),
				cache(caches, CacheKind.SIGNING_KEY, TokenKey.class, key -> tokenKey, TokenVerifier::new),
				cache(caches, CacheKind.PEER, Peer.class, peers::get, KnownPeer::compile), new SignatureVerifier(policy),
				(keyId, nonce) -> CompletableFuture.completedFuture(spentNonces.add(keyId + ' ' + nonce)),
				new ActivityRecorder(event -> {
				}, properties, Clock.systemUTC(), meters), Clock.systemUTC());
	}

	private static <S, V> TieredCache<S, V> cache(TieredCacheFactory caches, CacheKind kind, Class<S> storedType,
			Function<String, S> source, Function<S, V> compile) {
		return caches.createWithoutL2(kind, storedType, key -> new Versioned<>(1, source.apply(key)), compile);
	}

	/**
	 * Starts a fixture.
	 * @return an empty builder: no apps, terminals, peers, identity or token key
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Decides a request as a cold replica does, waiting for each entry it loads; the entries it read are
	 * warm afterwards.
	 * @param host the {@code X-Forwarded-Host} header
	 * @param uri the {@code X-Forwarded-Uri} header
	 * @param token the terminal token, or null
	 * @param signed the request as a peer signed it, or null
	 * @return true when the request is allowed
	 */
	public boolean allows(String host, String uri, String token, SignedRequest signed) {
		return decision(host, uri, token, signed) instanceof Decision.Allow;
	}

	/**
	 * Decides a request whose entries are all in L1, as a warm replica does: no I/O, no waiting. What a
	 * benchmark measures.
	 * @param host the {@code X-Forwarded-Host} header
	 * @param uri the {@code X-Forwarded-Uri} header
	 * @param token the terminal token, or null
	 * @param signed the request as a peer signed it, or null
	 * @return the decision, opaque outside this package (a benchmark hands it to its blackhole)
	 * @throws IllegalStateException when an entry it reads is not in L1: warm it with {@link #allows} first
	 */
	public Object decide(String host, String uri, String token, SignedRequest signed) {
		// under 35 bytes of bytecode (the message is built elsewhere), so the JIT inlines this call even
		// before it is hot: a benchmark measures the decider, not this frame
		try {
			return this.decider.decide(host, uri, token, signed, new Lookups());
		}
		catch (Lookups.Pending pending) {
			throw notInL1(pending);
		}
	}

	private static IllegalStateException notInL1(Lookups.Pending pending) {
		return new IllegalStateException("'%s' is not in L1: decide the request with allows first".formatted(pending.key()));
	}

	/**
	 * Decides a request, waiting for each entry it loads.
	 * @param host the {@code X-Forwarded-Host} header
	 * @param uri the {@code X-Forwarded-Uri} header
	 * @param token the terminal token, or null
	 * @param signed the request as a peer signed it, or null
	 * @return the decision
	 */
	Decision decision(String host, String uri, String token, SignedRequest signed) {
		Lookups lookups = new Lookups();
		while (true) {
			try {
				return this.decider.decide(host, uri, token, signed, lookups);
			}
			catch (Lookups.Pending pending) {
				pending.future().join();
				lookups.completed(pending);
			}
		}
	}

	/** Stops the loader threads. */
	@Override
	public void close() {
		this.loader.shutdownNow();
	}

	/**
	 * What the in-memory sources hold. Whatever is not given does not exist: an unknown app, terminal or
	 * peer is absent, as a deleted one is in a replica.
	 */
	public static final class Builder {

		private final Map<String, App> apps = new HashMap<>();

		private final Map<String, Terminal> terminals = new HashMap<>();

		private final Map<String, Peer> peers = new HashMap<>();

		private PortalIdentity identity;

		private TokenKey tokenKey;

		private Builder() {
		}

		/**
		 * Adds an app.
		 * @param app the app, found by its name
		 * @return this builder
		 */
		public Builder app(App app) {
			this.apps.put(app.name(), app);
			return this;
		}

		/**
		 * Adds a paired terminal.
		 * @param terminal the terminal, found by its id
		 * @return this builder
		 */
		public Builder terminal(Terminal terminal) {
			this.terminals.put(terminal.id(), terminal);
			return this;
		}

		/**
		 * Adds a peer.
		 * @param peer the peer, found by its short id (the key id of its signatures)
		 * @return this builder
		 */
		public Builder peer(Peer peer) {
			this.peers.put(peer.shortId(), peer);
			return this;
		}

		/**
		 * Sets the default identity, whose fields the {@code portal.*} template variables render.
		 * @param identity the identity
		 * @return this builder
		 */
		public Builder identity(PortalIdentity identity) {
			this.identity = identity;
			return this;
		}

		/**
		 * Sets the key that verifies terminal tokens; without one, every token is refused.
		 * @param tokenKey the public key
		 * @return this builder
		 */
		public Builder tokenKey(TokenKey tokenKey) {
			this.tokenKey = tokenKey;
			return this;
		}

		/**
		 * Builds the fixture; {@link InMemoryDecisions#close} stops its loader threads.
		 * @return the fixture, with every cache empty
		 */
		public InMemoryDecisions build() {
			return new InMemoryDecisions(this);
		}

	}

}
