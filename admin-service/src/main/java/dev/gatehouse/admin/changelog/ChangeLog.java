package dev.gatehouse.admin.changelog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.invalidation.ChangeMessage.Invalidation;
import dev.gatehouse.model.invalidation.ChangeMessage.Removal;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records changes in the {@code change_log} table, inside the mutation's own transaction.
 * <p>
 * Call {@link #lock()} first in every mutating transaction: it takes the change counter's row lock, which
 * serializes all writers, so checks made afterwards in the transaction (such as "is there a default
 * identity yet?") cannot race another admin request. After the transaction commits,
 * {@link InvalidationPublisher} tombstones the L2 entry (or, for a removal, marks it absent) and publishes
 * each change.
 */
@Component
public class ChangeLog {

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	ChangeLog(JdbcClient jdbc, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.events = events;
	}

	/**
	 * Serializes this transaction behind every other writer.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void lock() {
		this.jdbc.sql("select seq from change_counter where id = 1 for update").query(Long.class).single();
	}

	/**
	 * Records that a cached entry changed in the current transaction.
	 * @param kind the kind of entry
	 * @param key its key
	 * @return the change's seq
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public long record(CacheKind kind, String key) {
		long seq = append(kind, key);
		this.events.publishEvent(new Invalidation(seq, kind, key));
		return seq;
	}

	/**
	 * Records that a cached entry was deleted in the current transaction: replicas learn that it is absent
	 * as of the change's seq, so they need not load it again. Call it only when the key no longer exists
	 * once the transaction commits.
	 * @param kind the kind of entry
	 * @param key its key
	 * @return the change's seq
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public long recordRemoval(CacheKind kind, String key) {
		long seq = append(kind, key);
		this.events.publishEvent(new Removal(seq, kind, key));
		return seq;
	}

	/** The change log keeps kind and key only: a catch-up invalidates, whatever the change was. */
	private long append(CacheKind kind, String key) {
		long seq = this.jdbc.sql("update change_counter set seq = seq + 1 where id = 1 returning seq")
			.query(Long.class)
			.single();
		this.jdbc.sql("insert into change_log (seq, kind, key) values (?, ?, ?)")
			.params(seq, kind.wireName(), key)
			.update();
		return seq;
	}

	/**
	 * The seq of the latest committed change.
	 * @return the seq, 0 before the first change
	 */
	long latestSeq() {
		return this.jdbc.sql("select seq from change_counter where id = 1").query(Long.class).single();
	}

	/**
	 * The changes after one seq up to another, within a recent period, oldest first.
	 * @param after the seq to start after (0: from the first)
	 * @param through the last seq ({@code Long.MAX_VALUE}: to the latest)
	 * @param period how far back at most, by the database's clock
	 * @return the changes
	 */
	List<Invalidation> committedBetween(long after, long through, Duration period) {
		return this.jdbc.sql("""
				select seq, kind, key from change_log
				where seq > ? and seq <= ? and committed_at > clock_timestamp() - make_interval(secs => ?) order by seq
				""")
			.params(after, through, period.toSeconds())
			.query(ChangeLog::invalidation)
			.list();
	}

	private static Invalidation invalidation(ResultSet row, int index) throws SQLException {
		return new Invalidation(row.getLong("seq"), CacheKind.fromWireName(row.getString("kind")), row.getString("key"));
	}

}
