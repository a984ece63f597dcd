package dev.gatehouse.auth.cache;

import java.net.InetSocketAddress;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.invalidation.L2Entry;
import dev.gatehouse.model.invalidation.L2Entry.Absent;
import dev.gatehouse.model.invalidation.L2Entry.Present;
import dev.gatehouse.model.invalidation.L2Entry.Tombstone;
import dev.gatehouse.model.invalidation.RedisKeys;
import dev.gatehouse.testsupport.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stale-set guard of the Redis tier, on a real Redis.
 */
class L2StoreIntegrationTests {

	private RedissonClient redis;

	private L2Store store;

	@BeforeEach
	void connect() {
		InetSocketAddress address = TestServices.redis();
		Config config = new Config();
		config.useSingleServer().setAddress("redis://" + address.getHostString() + ":" + address.getPort());
		this.redis = Redisson.create(config);
		this.store = new L2Store(this.redis, new RedisKeys(TestServices.newNamespace()),
				new L2Settings(Duration.ofMinutes(1), Duration.ofMillis(500), Duration.ofSeconds(1)), Ticker.systemTicker(),
				new SimpleMeterRegistry());
	}

	@AfterEach
	void disconnect() {
		this.redis.shutdown();
	}

	@Test
	void newerEntryReplacesOlder() {
		put(new Present(5, "{\"v\":5}"));
		put(new Present(6, "{\"v\":6}"));
		assertThat(get()).isEqualTo(new Present(6, "{\"v\":6}"));
	}

	@Test
	void olderEntryNeverReplacesNewer() {
		put(new Present(6, "{\"v\":6}"));
		put(new Present(5, "{\"v\":5}"));
		put(new Absent(4));
		assertThat(get()).isEqualTo(new Present(6, "{\"v\":6}"));
	}

	@Test
	void valueReadBeforeAChangeCannotOverwriteItsTombstone() {
		put(new Tombstone(10));
		put(new Present(9, "{\"stale\":true}"));
		assertThat(get()).isEqualTo(new Tombstone(10));
	}

	@Test
	void valueReadAtTheChangeReplacesItsTombstone() {
		put(new Tombstone(10));
		put(new Present(10, "{\"fresh\":true}"));
		assertThat(get()).isEqualTo(new Present(10, "{\"fresh\":true}"));
	}

	@Test
	void tombstoneReplacesOnlyOlderEntries() {
		put(new Present(10, "{\"fresh\":true}"));
		put(new Tombstone(10));
		assertThat(get()).isEqualTo(new Present(10, "{\"fresh\":true}"));
		put(new Tombstone(11));
		assertThat(get()).isEqualTo(new Tombstone(11));
	}

	@Test
	void absenceWrittenForADeletionKeepsTheTombstonesGuarantees() {
		// a replica's catch-up may tombstone the deletion before the admin writes its absence
		put(new Tombstone(20));
		put(new Absent(20));
		assertThat(get()).as("the absence replaces a tombstone of its own seq").isEqualTo(new Absent(20));
		put(new Tombstone(20));
		put(new Present(19, "{\"stale\":true}"));
		assertThat(get()).as("nor a catch-up's tombstone, nor a value read before the deletion, replaces it")
			.isEqualTo(new Absent(20));
		put(new Tombstone(21));
		put(new Absent(20));
		assertThat(get()).as("a late absence never replaces a re-creation").isEqualTo(new Tombstone(21));
	}

	@Test
	void anEntryOlderThanAChangeThisReplicaSawIsReadAsThatChangesTombstone() {
		put(new Present(5, "{\"v\":5}"));
		// change 7 reached this replica, but its tombstone never reached Redis (nobody could write it)
		this.store.changed(CacheKind.APP, "files", 7);
		assertThat(get()).isEqualTo(new Tombstone(7));
		assertThat(get()).as("until an entry of the change or later is there").isEqualTo(new Tombstone(7));
		// the source's fill, read at 7 or later, repairs L2; the floor then goes
		put(new Present(7, "{\"v\":7}"));
		assertThat(get()).isEqualTo(new Present(7, "{\"v\":7}"));
		assertThat(get()).isEqualTo(new Present(7, "{\"v\":7}"));
	}

	@Test
	void aFloorIsTheHighestChangeSeenAndAnEntryAtItIsTrusted() {
		put(new Tombstone(8));
		this.store.changed(CacheKind.APP, "files", 8);
		this.store.changed(CacheKind.APP, "files", 6);
		assertThat(get()).isEqualTo(new Tombstone(8));
		this.store.changed(CacheKind.APP, "files", 9);
		assertThat(get()).isEqualTo(new Tombstone(9));
		assertThat(this.store.get(CacheKind.APP, "other")).as("other keys have no floor").isEmpty();
	}

	@Test
	void missingKeyIsAMiss() {
		assertThat(this.store.get(CacheKind.APP, "nothing")).isEmpty();
	}

	private void put(L2Entry entry) {
		this.store.putIfNewer(CacheKind.APP, "files", entry);
	}

	private L2Entry get() {
		return this.store.get(CacheKind.APP, "files").orElseThrow();
	}

}
