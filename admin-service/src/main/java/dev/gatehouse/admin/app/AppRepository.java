package dev.gatehouse.admin.app;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gatehouse.model.ModelJson;
import dev.gatehouse.model.app.AppStatus;
import dev.gatehouse.model.app.PathRule;
import tools.jackson.core.type.TypeReference;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code app} table, and its only writer: the lifecycle records statuses and the activity consumer
 * accesses through the two public methods.
 */
@Repository
public class AppRepository {

	private static final TypeReference<Map<String, PathRule>> PATHS = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	AppRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Inserts or replaces an app's definition, keeping its status and last access.
	 * @return true when the app was created
	 */
	boolean upsert(String name, Map<String, PathRule> paths, Lifecycle lifecycle) {
		return this.jdbc.sql("""
				insert into app (name, status, paths, always_on, idle_for_stop_seconds)
				values (:name, :status, cast(:paths as jsonb), :alwaysOn, :idle)
				on conflict (name) do update set paths = excluded.paths, always_on = excluded.always_on,
				    idle_for_stop_seconds = excluded.idle_for_stop_seconds, updated_at = now()
				returning (xmax = 0) as created
				""")
			.param("name", name)
			.param("status", AppStatus.STOPPED.wireName())
			.param("paths", ModelJson.write(paths))
			.param("alwaysOn", lifecycle.alwaysOn())
			.param("idle", lifecycle.idleForStop())
			.query(Boolean.class)
			.single();
	}

	Optional<AppView> find(String name) {
		return this.jdbc.sql("select * from app where name = ?").param(name).query(AppRepository::view).optional();
	}

	List<AppView> findAll() {
		return this.jdbc.sql("select * from app order by name").query(AppRepository::view).list();
	}

	boolean delete(String name) {
		return this.jdbc.sql("delete from app where name = ?").param(name).update() == 1;
	}

	/**
	 * Records the status the runtime reports for an app.
	 * @param name the app
	 * @param status its status
	 * @return true when the status changed
	 */
	public boolean updateStatus(String name, AppStatus status) {
		return this.jdbc.sql("update app set status = ? where name = ? and status <> ?")
			.params(status.wireName(), name, status.wireName())
			.update() == 1;
	}

	/**
	 * Records that apps were accessed, skipping each app whose recorded access is less than
	 * {@code debounce} older.
	 * @param names the apps
	 * @param at when
	 * @param debounce the least time between two writes of one app's access
	 * @return how many apps were written
	 */
	public int recordAccess(List<String> names, Instant at, Duration debounce) {
		if (names.isEmpty()) {
			return 0;
		}
		return this.jdbc.sql("""
				update app set last_access = :at
				where name in (:names) and (last_access is null or last_access < :threshold)
				""")
			.param("at", Timestamp.from(at))
			.param("names", names)
			.param("threshold", Timestamp.from(at.minus(debounce)))
			.update();
	}

	private static AppView view(ResultSet row, int index) throws SQLException {
		Timestamp lastAccess = row.getTimestamp("last_access");
		return new AppView(row.getString("name"), AppStatus.fromWireName(row.getString("status")),
				ModelJson.read(row.getString("paths"), PATHS),
				new Lifecycle(row.getBoolean("always_on"), row.getLong("idle_for_stop_seconds")),
				(lastAccess != null) ? lastAccess.toInstant() : null);
	}

}
