package dev.gatehouse.admin.terminal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code terminal}, {@code pairing_code} and {@code token_key} tables.
 */
@Repository
public class TerminalRepository {

	private final JdbcClient jdbc;

	TerminalRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(String id, String name) {
		this.jdbc.sql("insert into terminal (id, name) values (?, ?)").params(id, name).update();
	}

	boolean exists(String id) {
		return this.jdbc.sql("select exists (select 1 from terminal where id = ?)").param(id).query(Boolean.class).single();
	}

	Optional<TerminalView> find(String id) {
		return this.jdbc.sql("select * from terminal where id = ?").param(id).query(TerminalRepository::view).optional();
	}

	List<TerminalView> findAll() {
		return this.jdbc.sql("select * from terminal order by created_at, id").query(TerminalRepository::view).list();
	}

	boolean delete(String id) {
		return this.jdbc.sql("delete from terminal where id = ?").param(id).update() == 1;
	}

	/**
	 * Records that terminals connected (the activity consumer), skipping each terminal whose recorded
	 * connection is less than {@code debounce} older.
	 * @param ids the terminals
	 * @param at when
	 * @param debounce the least time between two writes of one terminal's connection
	 * @return how many terminals were written
	 */
	public int recordConnection(List<String> ids, Instant at, Duration debounce) {
		if (ids.isEmpty()) {
			return 0;
		}
		return this.jdbc.sql("""
				update terminal set last_connection = :at
				where id in (:ids) and (last_connection is null or last_connection < :threshold)
				""")
			.param("at", Timestamp.from(at))
			.param("ids", ids)
			.param("threshold", Timestamp.from(at.minus(debounce)))
			.update();
	}

	/** Replaces the live pairing code, if any. */
	void replacePairingCode(String code, Instant validUntil) {
		this.jdbc.sql("""
				insert into pairing_code (id, code, valid_until) values (1, ?, ?)
				on conflict (id) do update set code = excluded.code, valid_until = excluded.valid_until
				""")
			.params(code, Timestamp.from(validUntil))
			.update();
	}

	/** The live pairing code and its deadline, locked until the transaction ends. */
	Optional<PairingCode> lockPairingCode() {
		return this.jdbc.sql("select code, valid_until from pairing_code where id = 1 for update")
			.query((row, index) -> new PairingCode(row.getString("code"), row.getTimestamp("valid_until").toInstant()))
			.optional();
	}

	void deletePairingCode() {
		this.jdbc.sql("delete from pairing_code where id = 1").update();
	}

	/** Stores a token key pair under a name, unless one exists; true when stored. */
	boolean insertTokenKey(String name, byte[] publicKey, byte[] privateKey) {
		return this.jdbc.sql("insert into token_key (name, public_key, private_key) values (?, ?, ?) on conflict (name) do nothing")
			.params(name, publicKey, privateKey)
			.update() == 1;
	}

	StoredKey findTokenKey(String name) {
		return this.jdbc.sql("select public_key, private_key from token_key where name = ?")
			.param(name)
			.query((row, index) -> new StoredKey(row.getBytes("public_key"), row.getBytes("private_key")))
			.single();
	}

	private static TerminalView view(ResultSet row, int index) throws SQLException {
		Timestamp lastConnection = row.getTimestamp("last_connection");
		return new TerminalView(row.getString("id"), row.getString("name"), row.getTimestamp("created_at").toInstant(),
				(lastConnection != null) ? lastConnection.toInstant() : null);
	}

	/**
	 * A pairing code.
	 *
	 * @param code six digits
	 * @param validUntil the instant it expires
	 */
	record PairingCode(String code, Instant validUntil) {

		/** Never shows the code. */
		@Override
		public String toString() {
			return "PairingCode[validUntil=" + this.validUntil + "]";
		}

	}

	/**
	 * A stored token key pair.
	 *
	 * @param publicKey X.509 DER
	 * @param privateKey PKCS#8 DER
	 */
	record StoredKey(byte[] publicKey, byte[] privateKey) {

		/** Never shows the private key. */
		@Override
		public String toString() {
			return "StoredKey[<hidden>]";
		}

	}

}
