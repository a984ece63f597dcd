package dev.gatehouse.admin.peer;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import dev.gatehouse.model.peer.Peer;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code peer} table.
 */
@Repository
class PeerRepository {

	private static final String COLUMNS = "id, short_id, name, domain, public_key_pem, key_source, created_at, updated_at";

	private final JdbcClient jdbc;

	PeerRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Inserts or replaces a peer; true when it was new. */
	boolean upsert(String id, String shortId, String name, String domain, String publicKeyPem, String keySource) {
		boolean exists = find(id).isPresent();
		this.jdbc.sql("""
				insert into peer (id, short_id, name, domain, public_key_pem, key_source) values (?, ?, ?, ?, ?, ?)
				on conflict (id) do update set name = excluded.name, domain = excluded.domain,
				  public_key_pem = excluded.public_key_pem, key_source = excluded.key_source, updated_at = now()
				""")
			.params(id, shortId, name, domain, publicKeyPem, keySource)
			.update();
		return !exists;
	}

	Optional<PeerView> find(String id) {
		return this.jdbc.sql("select " + COLUMNS + " from peer where id = ?").param(id).query(PeerRepository::view).optional();
	}

	Optional<PeerView> findByShortId(String shortId) {
		return this.jdbc.sql("select " + COLUMNS + " from peer where short_id = ?")
			.param(shortId)
			.query(PeerRepository::view)
			.optional();
	}

	/** A peer by its id as registered or its short id (unique, so at most one row matches). */
	Optional<Peer> findPeer(String idOrShortId) {
		return this.jdbc.sql("select id, name, domain, public_key_pem from peer where id = ? or short_id = ?")
			.params(idOrShortId, idOrShortId)
			.query((row, index) -> new Peer(row.getString("id"), row.getString("name"), row.getString("domain"),
					row.getString("public_key_pem")))
			.optional();
	}

	List<PeerView> findAll() {
		return this.jdbc.sql("select " + COLUMNS + " from peer order by created_at, id").query(PeerRepository::view).list();
	}

	boolean delete(String id) {
		return this.jdbc.sql("delete from peer where id = ?").param(id).update() == 1;
	}

	private static PeerView view(ResultSet row, int index) throws SQLException {
		return new PeerView(row.getString("id"), row.getString("short_id"), row.getString("name"), row.getString("domain"),
				row.getString("public_key_pem"), row.getString("key_source"), row.getTimestamp("created_at").toInstant(),
				row.getTimestamp("updated_at").toInstant());
	}

}
