package dev.gatehouse.auth.cache;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.invalidation.L2Entry;
import dev.gatehouse.model.invalidation.RedisKeys;
import dev.gatehouse.model.terminal.Terminal;
import dev.gatehouse.testsupport.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tiered cache on a real Redis, with a source whose reads the test can hold, to force the
 * interleavings that random races only sometimes produce.
 */
class TieredCacheIntegrationTests {

	private final Map<String, Versioned<Terminal>> table = new ConcurrentHashMap<>();

	private final AtomicInteger sourceReads = new AtomicInteger();

	private volatile CountDownLatch readTaken;

	private volatile CountDownLatch releaseRead;

	private final AtomicLong nanos = new AtomicLong();

	private final Ticker ticker = this.nanos::get;

	private final ExecutorService loader = Executors.newFixedThreadPool(4);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private RedissonClient redis;

	private L2Store l2;

	private CoherenceLease lease;

	private TieredCache<Terminal, Terminal> cache;

	private RedisKeys keys;

	@BeforeEach
	void createCache() {
		InetSocketAddress address = TestServices.redis();
		Config config = new Config();
		config.useSingleServer().setAddress("redis://" + address.getHostString() + ":" + address.getPort());
		this.redis = Redisson.create(config);
		this.keys = new RedisKeys(TestServices.newNamespace());
		this.l2 = new L2Store(this.redis, this.keys,
				new L2Settings(Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofSeconds(1)), Ticker.systemTicker(),
				new SimpleMeterRegistry());
		this.lease = new CoherenceLease(Duration.ofSeconds(3), this.ticker);
		this.lease.renew(this.ticker.read());
		this.cache = new TieredCache<>(CacheKind.TERMINAL, Terminal.class, this::read, terminal -> terminal, this.l2,
				new CacheSettings(1000, Duration.ofMinutes(10)), this.lease, this.loader,
				this.meters);
	}

	@AfterEach
	void close() {
		this.loader.shutdownNow();
		this.redis.shutdown();
	}

	@Test
	void changeDuringALoadWinsInL1AndInL2() throws Exception {
		this.table.put("t1", new Versioned<>(1, new Terminal("t1", "old name")));
		holdReads();
		CompletableFuture<Optional<Terminal>> racing = CompletableFuture.supplyAsync(() -> get(this.cache, "t1"));
		assertThat(this.readTaken.await(5, TimeUnit.SECONDS)).isTrue();

		// the admin commits seq 2, tombstones L2 and publishes; the subscriber invalidates L1
		this.table.put("t1", new Versioned<>(2, new Terminal("t1", "new name")));
		this.l2.putIfNewer(CacheKind.TERMINAL, "t1", new L2Entry.Tombstone(2));
		this.cache.invalidate("t1", 2);

		this.releaseRead.countDown();
		assertThat(racing.get(5, TimeUnit.SECONDS)).map(Terminal::name).contains("old name");
		assertThat(this.l2.get(CacheKind.TERMINAL, "t1")).as("the stale load did not overwrite the tombstone")
			.contains(new L2Entry.Tombstone(2));
		assertThat(get(this.cache, "t1")).as("the stale load was not kept in L1").map(Terminal::name).contains("new name");
	}

	@Test
	void removalIsAnsweredWithoutALoad() {
		this.table.put("t6", new Versioned<>(1, new Terminal("t6", "laptop")));
		assertThat(get(this.cache, "t6")).isPresent();
		this.table.put("t6", new Versioned<>(2, null));
		assertThat(this.cache.installAbsent("t6", 2)).isTrue();
		assertThat(get(this.cache, "t6")).isEmpty();
		assertThat(this.sourceReads).hasValue(1);
		assertThat(this.meters.get("gatehouse.l2.hits").counter().count()).as("not from L2 either").isZero();
	}

	@Test
	void removalDuringALoadWinsInL1() throws Exception {
		this.table.put("t7", new Versioned<>(1, new Terminal("t7", "phone")));
		holdReads();
		CompletableFuture<Optional<Terminal>> racing = CompletableFuture.supplyAsync(() -> get(this.cache, "t7"));
		assertThat(this.readTaken.await(5, TimeUnit.SECONDS)).isTrue();

		// the admin deletes it at seq 2 and marks it absent in L2; the subscriber installs the negative entry
		this.table.put("t7", new Versioned<>(2, null));
		this.l2.putIfNewer(CacheKind.TERMINAL, "t7", new L2Entry.Absent(2));
		assertThat(this.cache.installAbsent("t7", 2)).isTrue();

		this.releaseRead.countDown();
		assertThat(racing.get(5, TimeUnit.SECONDS)).as("requests already waiting get the load's result").isPresent();
		assertThat(get(this.cache, "t7")).as("the stale load did not replace the negative entry").isEmpty();
		assertThat(this.l2.get(CacheKind.TERMINAL, "t7")).as("nor the absence in L2").contains(new L2Entry.Absent(2));
		assertThat(this.sourceReads).hasValue(1);
	}

	@Test
	void removalOlderThanWhatL1ReflectsOnlyDropsTheKey() {
		// deleted at seq 3, created again at seq 5, and this replica loaded it before the late removal arrived
		this.table.put("t8", new Versioned<>(5, new Terminal("t8", "again")));
		assertThat(get(this.cache, "t8")).isPresent();
		assertThat(this.cache.installAbsent("t8", 3)).isFalse();
		assertThat(get(this.cache, "t8")).map(Terminal::name).contains("again");
	}

	@Test
	void removalArrivingAfterANewerInvalidationOnlyDropsTheKey() {
		// messages of concurrent admin requests can arrive out of order: the re-creation's first
		this.table.put("t9", new Versioned<>(6, new Terminal("t9", "again")));
		this.cache.invalidate("t9", 6);
		assertThat(this.cache.installAbsent("t9", 4)).isFalse();
		assertThat(get(this.cache, "t9")).map(Terminal::name).contains("again");
	}

	@Test
	void lapsedLeaseInstallsNothing() {
		this.table.put("t10", new Versioned<>(1, new Terminal("t10", "watch")));
		get(this.cache, "t10");
		this.nanos.addAndGet(Duration.ofSeconds(4).toNanos());
		this.table.put("t10", new Versioned<>(2, null));
		this.l2.putIfNewer(CacheKind.TERMINAL, "t10", new L2Entry.Absent(2));
		assertThat(this.cache.installAbsent("t10", 2)).isFalse();
		this.lease.renew(this.ticker.read());
		assertThat(get(this.cache, "t10")).isEmpty();
		assertThat(this.meters.get("gatehouse.l2.hits").counter().count()).as("dropped, not installed: loaded again")
			.isEqualTo(1);
	}

	@Test
	void burstForAColdKeyMakesOneLoad() throws Exception {
		this.table.put("t2", new Versioned<>(1, new Terminal("t2", "phone")));
		holdReads();
		List<CompletableFuture<Optional<Terminal>>> burst = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			burst.add(CompletableFuture.supplyAsync(() -> get(this.cache, "t2"), Executors.newVirtualThreadPerTaskExecutor()));
		}
		assertThat(this.readTaken.await(5, TimeUnit.SECONDS)).isTrue();
		this.releaseRead.countDown();
		for (CompletableFuture<Optional<Terminal>> request : burst) {
			assertThat(request.get(5, TimeUnit.SECONDS)).map(Terminal::name).contains("phone");
		}
		assertThat(this.sourceReads).hasValue(1);
	}

	@Test
	void absentKeysAreCachedUntilInvalidated() {
		assertThat(get(this.cache, "ghost")).isEmpty();
		assertThat(get(this.cache, "ghost")).isEmpty();
		assertThat(this.sourceReads).hasValue(1);
		this.table.put("ghost", new Versioned<>(7, new Terminal("ghost", "now real")));
		this.l2.putIfNewer(CacheKind.TERMINAL, "ghost", new L2Entry.Tombstone(7));
		this.cache.invalidate("ghost", 7);
		assertThat(get(this.cache, "ghost")).map(Terminal::name).contains("now real");
	}

	@Test
	void entryInAShapeThisVersionCannotReadIsAMiss() {
		this.table.put("t5", new Versioned<>(3, new Terminal("t5", "watch")));
		this.redis.getBucket(this.keys.entry(CacheKind.TERMINAL, "t5"), StringCodec.INSTANCE).set("3|P|{\"label\":\"watch\"}");
		assertThat(get(this.cache, "t5")).map(Terminal::name).contains("watch");
		assertThat(this.sourceReads).hasValue(1);
		assertThat(this.l2.degraded()).isFalse();
	}

	@Test
	void aKindKeptOutOfL2IgnoresWhatRedisHolds() {
		TieredCache<Terminal, Terminal> keys = new TieredCacheFactory(this.l2,
				new CacheSettings(1000, Duration.ofMinutes(10)), this.lease, this.loader,
				new SimpleMeterRegistry())
			.createWithoutL2(CacheKind.TERMINAL, Terminal.class, this::read, terminal -> terminal);
		this.table.put("k1", new Versioned<>(3, new Terminal("k1", "from PostgreSQL")));
		// what someone who can write Redis would plant: a newer entry with other content
		this.l2.putIfNewer(CacheKind.TERMINAL, "k1", new L2Entry.Present(999_999_999, "{\"id\":\"k1\",\"name\":\"planted\"}"));
		assertThat(get(keys, "k1")).map(Terminal::name).contains("from PostgreSQL");
		assertThat(this.l2.get(CacheKind.TERMINAL, "k1")).as("nothing written back either")
			.contains(new L2Entry.Present(999_999_999, "{\"id\":\"k1\",\"name\":\"planted\"}"));
	}

	@Test
	void lapsedLeaseBypassesL1() {
		this.table.put("t3", new Versioned<>(1, new Terminal("t3", "tablet")));
		get(this.cache, "t3");
		get(this.cache, "t3");
		assertThat(this.sourceReads).hasValue(1);
		this.nanos.addAndGet(Duration.ofSeconds(4).toNanos());
		this.table.put("t3", new Versioned<>(2, new Terminal("t3", "renamed")));
		this.l2.putIfNewer(CacheKind.TERMINAL, "t3", new L2Entry.Tombstone(2));
		assertThat(get(this.cache, "t3")).as("L1 still holds the old name, but is not trusted").map(Terminal::name)
			.contains("renamed");
	}

	@Test
	void unreadableSourceFailsTheRequestInsteadOfGuessing() {
		TieredCache<Terminal, Terminal> failing = new TieredCache<>(CacheKind.TERMINAL, Terminal.class, key -> {
			throw new IllegalStateException("database down");
		}, terminal -> terminal, this.l2, new CacheSettings(10, Duration.ofMinutes(1)), this.lease,
				this.loader, new SimpleMeterRegistry());
		assertThat(failing.lookup("t4")).as("the load fails (a request answers 503), no value is guessed")
			.failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.withRootCauseInstanceOf(IllegalStateException.class);
	}

	/** Waits for a lookup, as a request's decision does when it resumes. */
	private static <V> Optional<V> get(TieredCache<?, V> cache, String key) {
		try {
			return cache.lookup(key).get(5, TimeUnit.SECONDS);
		}
		catch (ExecutionException | InterruptedException | TimeoutException ex) {
			throw new IllegalStateException("lookup of " + key + " failed", ex);
		}
	}

	private void holdReads() {
		this.readTaken = new CountDownLatch(1);
		this.releaseRead = new CountDownLatch(1);
	}

	private Versioned<Terminal> read(String key) {
		this.sourceReads.incrementAndGet();
		Versioned<Terminal> row = this.table.getOrDefault(key, new Versioned<>(0, null));
		CountDownLatch taken = this.readTaken;
		if (taken != null) {
			taken.countDown();
			try {
				this.releaseRead.await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return row;
	}

}
