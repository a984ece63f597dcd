package dev.gatehouse.auth.invalidation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatehouse.auth.cache.CoherenceLease;
import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.invalidation.ChangeMessage.Heartbeat;
import dev.gatehouse.model.invalidation.ChangeMessage.Invalidation;
import dev.gatehouse.model.invalidation.ChangeMessage.Removal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CoherenceTrackerTests {

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	private final Ticker ticker = this.nanos::get;

	private final FakeChangeLog changeLog = new FakeChangeLog();

	private final RecordingApplier applier = new RecordingApplier();

	private final CoherenceLease lease = new CoherenceLease(Duration.ofSeconds(3), this.ticker);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final CoherenceTracker tracker = new CoherenceTracker(this.applier, this.changeLog, this.lease, this.ticker,
			Duration.ofSeconds(2), Duration.ofMillis(500), this.meters);

	@BeforeEach
	void firstCatchUp() {
		this.changeLog.commit(1, CacheKind.APP, "files");
		this.tracker.tick();
		this.applier.events.clear();
	}

	@Test
	void firstCatchUpStartsFromTheHeadAndProvesCoherence() {
		assertThat(this.tracker.applied()).isEqualTo(1);
		assertThat(this.lease.valid()).isTrue();
	}

	@Test
	void contiguousInvalidationsNeedNoCatchUp() {
		int reads = this.changeLog.reads;
		this.tracker.onChange(this.changeLog.commit(2, CacheKind.TERMINAL, "t1"));
		this.tracker.tick();
		assertThat(this.tracker.applied()).isEqualTo(2);
		assertThat(this.changeLog.reads).isEqualTo(reads);
		assertThat(this.applier.events).containsExactly("invalidate terminal/t1@2");
	}

	@Test
	void removalInstallsTheNegativeEntryAndCountsAsApplied() {
		int reads = this.changeLog.reads;
		this.tracker.onChange(this.changeLog.commitRemoval(2, CacheKind.TERMINAL, "revoked"));
		this.tracker.tick();
		assertThat(this.applier.events).containsExactly("absent terminal/revoked@2");
		assertThat(this.tracker.applied()).isEqualTo(2);
		assertThat(this.changeLog.reads).isEqualTo(reads);
	}

	@Test
	void removalFollowingTheInvalidationSentForOlderReplicasIsStillInstalled() {
		Invalidation invalidation = this.changeLog.commit(2, CacheKind.APP, "deleted");
		this.tracker.onChange(invalidation);
		this.tracker.onChange(new Removal(invalidation.seq(), invalidation.kind(), invalidation.key()));
		assertThat(this.applier.events).containsExactly("invalidate app/deleted@2", "absent app/deleted@2");
		assertThat(this.tracker.applied()).isEqualTo(2);
	}

	@Test
	void lostRemovalIsCaughtUpAsAnInvalidation() {
		this.changeLog.commit(2, CacheKind.TERMINAL, "revoked");
		this.tracker.onChange(this.changeLog.commit(3, CacheKind.APP, "files"));
		this.tracker.tick();
		assertThat(this.applier.events).contains("tombstone terminal/revoked@2", "invalidate terminal/revoked@2")
			.doesNotContain("absent terminal/revoked@2");
		assertThat(this.tracker.applied()).isEqualTo(3);
	}

	@Test
	void unreadableMessageClearsL1AtOnceAndCatchesUp() {
		int reads = this.changeLog.reads;
		this.changeLog.commit(2, CacheKind.TERMINAL, "announced-in-a-newer-format");
		this.tracker.onUnreadable();
		assertThat(this.applier.events).containsExactly("invalidate all");
		this.tracker.tick();
		assertThat(this.changeLog.reads).isEqualTo(reads + 1);
		assertThat(this.applier.events).contains("invalidate terminal/announced-in-a-newer-format@2");
		assertThat(this.tracker.applied()).isEqualTo(2);
	}

	@Test
	void holeInTheSeqIsCaughtUpFromTheChangeLog() {
		this.changeLog.commit(2, CacheKind.TERMINAL, "lost");
		this.tracker.onChange(this.changeLog.commit(3, CacheKind.APP, "files"));
		assertThat(this.tracker.applied()).as("not past the hole").isEqualTo(1);
		this.tracker.tick();
		assertThat(this.applier.events).contains("tombstone terminal/lost@2", "invalidate terminal/lost@2");
		assertThat(this.tracker.applied()).isEqualTo(3);
	}

	@Test
	void lateMessageFillsTheHoleWithoutCatchUp() {
		Invalidation second = this.changeLog.commit(2, CacheKind.TERMINAL, "t1");
		this.tracker.onChange(this.changeLog.commit(3, CacheKind.APP, "files"));
		this.tracker.onChange(second);
		assertThat(this.tracker.applied()).isEqualTo(3);
	}

	@Test
	void heartbeatAheadTriggersCatchUp() {
		this.changeLog.commit(2, CacheKind.IDENTITY, "default");
		this.tracker.onHeartbeat(new Heartbeat(2, "e1"));
		this.tracker.tick();
		assertThat(this.applier.events).contains("tombstone identity/default@2", "invalidate identity/default@2");
		assertThat(this.tracker.applied()).isEqualTo(2);
	}

	@Test
	void currentHeartbeatRenewsTheLease() {
		this.nanos.addAndGet(Duration.ofMillis(2500).toNanos());
		this.tracker.onHeartbeat(new Heartbeat(1, "e1"));
		this.nanos.addAndGet(Duration.ofMillis(2500).toNanos());
		assertThat(this.lease.valid()).isTrue();
		this.nanos.addAndGet(Duration.ofMillis(600).toNanos());
		assertThat(this.lease.valid()).as("no proof for more than the lease").isFalse();
	}

	@Test
	void missingHeartbeatsMakeItPollTheChangeLog() {
		int reads = this.changeLog.reads;
		this.nanos.addAndGet(Duration.ofSeconds(1).toNanos());
		this.tracker.tick();
		assertThat(this.changeLog.reads).as("heartbeats not yet overdue").isEqualTo(reads);
		this.nanos.addAndGet(Duration.ofMillis(1100).toNanos());
		assertThat(this.tracker.polling()).isTrue();
		this.changeLog.commit(2, CacheKind.TERMINAL, "revoked");
		this.tracker.tick();
		this.tracker.tick();
		assertThat(this.changeLog.reads).as("once per poll interval").isEqualTo(reads + 1);
		assertThat(this.applier.events).contains("invalidate terminal/revoked@2");
		assertThat(this.lease.valid()).isTrue();
	}

	@Test
	void aLapseOfTheLeaseIsCountedOnceAndShownUntilCoherenceIsProvenAgain() {
		assertThat(this.meters.get("gatehouse.coherence.lease.valid").gauge().value()).isEqualTo(1);
		this.changeLog.down = true;
		for (int i = 0; i < 8; i++) {
			this.nanos.addAndGet(Duration.ofMillis(500).toNanos());
			this.tracker.tick();
		}
		assertThat(this.lease.valid()).as("4 s without a proof, lease 3 s").isFalse();
		assertThat(this.meters.get("gatehouse.coherence.lease.valid").gauge().value()).isZero();
		assertThat(this.meters.get("gatehouse.coherence.lease.lapses").counter().count()).isEqualTo(1);
		this.changeLog.down = false;
		this.nanos.addAndGet(Duration.ofMillis(500).toNanos());
		this.tracker.tick();
		assertThat(this.meters.get("gatehouse.coherence.lease.valid").gauge().value()).isEqualTo(1);
		assertThat(this.meters.get("gatehouse.coherence.lease.lapses").counter().count()).isEqualTo(1);
	}

	@Test
	void failedCatchUpClearsL1AndRetries() {
		this.changeLog.down = true;
		this.tracker.onSubscribed();
		this.tracker.tick();
		assertThat(this.applier.events).containsExactly("invalidate all");
		this.changeLog.down = false;
		this.changeLog.commit(2, CacheKind.APP, "files");
		this.tracker.tick();
		assertThat(this.tracker.applied()).isEqualTo(2);
	}

	@Test
	void newRedisEpochClearsL1() {
		this.tracker.onHeartbeat(new Heartbeat(1, "e1"));
		this.applier.events.clear();
		this.tracker.onHeartbeat(new Heartbeat(1, "e1"));
		assertThat(this.applier.events).isEmpty();
		this.tracker.onHeartbeat(new Heartbeat(1, "e2"));
		assertThat(this.applier.events).containsExactly("invalidate all");
	}

	@Test
	void firstEpochClearsWhatWasLoadedBeforeIt() {
		// a replica that started as Redis answered again may have read entries the admin was re-tombstoning
		this.tracker.onHeartbeat(new Heartbeat(1, "e1"));
		assertThat(this.applier.events).containsExactly("invalidate all");
	}

	@Test
	void longBacklogIsReplayedPageByPage() {
		for (int seq = 2; seq <= CoherenceTracker.CATCH_UP_LIMIT * 2 + 10; seq++) {
			this.changeLog.commit(seq, CacheKind.APP, "app" + seq);
		}
		this.tracker.onSubscribed();
		this.tracker.tick();
		assertThat(this.tracker.applied()).isEqualTo(CoherenceTracker.CATCH_UP_LIMIT * 2 + 10);
		int last = CoherenceTracker.CATCH_UP_LIMIT * 2 + 10;
		assertThat(this.applier.events).contains("invalidate app/app2@2", "invalidate app/app" + last + "@" + last);
	}

	/** The change log, in memory. */
	static final class FakeChangeLog implements ChangeLogReader {

		private final List<Invalidation> log = new ArrayList<>();

		int reads;

		boolean down;

		Invalidation commit(long seq, CacheKind kind, String key) {
			Invalidation change = new Invalidation(seq, kind, key);
			this.log.add(change);
			return change;
		}

		/** A deletion: the change log records kind and key only, the admin announces a removal. */
		Removal commitRemoval(long seq, CacheKind kind, String key) {
			commit(seq, kind, key);
			return new Removal(seq, kind, key);
		}

		@Override
		public CatchUp since(long seq, int limit) {
			this.reads++;
			if (this.down) {
				throw new IllegalStateException("database down");
			}
			return new CatchUp(head(), this.log.stream().filter(change -> change.seq() > seq).limit(limit).toList());
		}

		@Override
		public long head() {
			if (this.down) {
				throw new IllegalStateException("database down");
			}
			return this.log.isEmpty() ? 0 : this.log.get(this.log.size() - 1).seq();
		}

	}

	/** Records what would happen to the caches. */
	static final class RecordingApplier implements ChangeApplier {

		final List<String> events = new ArrayList<>();

		@Override
		public void invalidate(CacheKind kind, String key, long seq) {
			this.events.add("invalidate " + kind.wireName() + "/" + key + "@" + seq);
		}

		@Override
		public void installAbsent(CacheKind kind, String key, long seq) {
			this.events.add("absent " + kind.wireName() + "/" + key + "@" + seq);
		}

		@Override
		public void tombstone(CacheKind kind, String key, long seq) {
			this.events.add("tombstone " + kind.wireName() + "/" + key + "@" + seq);
		}

		@Override
		public void invalidateAll() {
			this.events.add("invalidate all");
		}

	}

}
