package dev.gatehouse.admin.lifecycle;

import java.time.Instant;
import java.util.List;

import dev.gatehouse.model.app.AppStatus;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The lifecycle columns of the {@code app} table, read only: {@code AppRepository} writes them.
 */
@Repository
class LifecycleRepository {

	private final JdbcClient jdbc;

	LifecycleRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	List<ManagedApp> findAll() {
		return this.jdbc.sql("""
				select name, status, always_on, idle_for_stop_seconds, coalesce(last_access, created_at) as last_seen
				from app order by name
				""")
			.query((row, index) -> new ManagedApp(row.getString("name"), AppStatus.fromWireName(row.getString("status")),
					row.getBoolean("always_on"), row.getLong("idle_for_stop_seconds"),
					row.getTimestamp("last_seen").toInstant()))
			.list();
	}

	boolean exists(String name) {
		return this.jdbc.sql("select exists (select 1 from app where name = ?)").param(name).query(Boolean.class).single();
	}

	/**
	 * An app as the control loop sees it.
	 *
	 * @param name its name
	 * @param status the recorded status
	 * @param alwaysOn keep it running
	 * @param idleForStop seconds without access before it is stopped
	 * @param lastSeen last access, or creation when never accessed
	 */
	record ManagedApp(String name, AppStatus status, boolean alwaysOn, long idleForStop, Instant lastSeen) {
	}

}
