package dev.gatehouse.auth.invalidation;

import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.invalidation.ChangeMessage.Invalidation;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The change log in PostgreSQL: one indexed range query on the primary key.
 */
@Component
class JdbcChangeLogReader implements ChangeLogReader {

	private final JdbcClient jdbc;

	JdbcChangeLogReader(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public CatchUp since(long seq, int limit) {
		List<Invalidation> changes = new ArrayList<>();
		long[] head = { seq };
		// one statement, so the head and the changes come from one snapshot
		this.jdbc.sql("""
				select c.seq as head, l.seq, l.kind, l.key
				from change_counter c
				left join (select seq, kind, key from change_log where seq > ? order by seq limit ?) l on true
				where c.id = 1 order by l.seq
				""")
			.params(seq, limit)
			.query(row -> {
				head[0] = row.getLong("head");
				String kind = row.getString("kind");
				if (kind != null) {
					changes.add(new Invalidation(row.getLong("seq"), CacheKind.fromWireName(kind), row.getString("key")));
				}
			});
		return new CatchUp(head[0], changes);
	}

	@Override
	public long head() {
		return this.jdbc.sql("select seq from change_counter where id = 1").query(Long.class).single();
	}

}
