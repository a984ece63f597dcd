package dev.gatehouse.auth.cache;

import java.util.Map;

import dev.gatehouse.model.ModelJson;
import dev.gatehouse.model.app.App;
import dev.gatehouse.model.app.AppStatus;
import dev.gatehouse.model.app.PathRule;
import dev.gatehouse.model.identity.PortalIdentity;
import dev.gatehouse.model.peer.Peer;
import dev.gatehouse.model.terminal.TokenKey;
import dev.gatehouse.model.terminal.Terminal;
import tools.jackson.core.type.TypeReference;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads entries from PostgreSQL, read-only. Each read is one statement that also reads the change
 * counter, so the value and its seq come from one snapshot: the value reflects every change up to that
 * seq.
 */
@Component
public class SourceReader {

	private static final TypeReference<Map<String, PathRule>> PATHS = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	SourceReader(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Versioned<App> app(String name) {
		return this.jdbc.sql("""
				select c.seq, a.name, a.status, a.paths::text as paths
				from change_counter c left join app a on a.name = ? where c.id = 1
				""")
			.param(name)
			.query((row, index) -> new Versioned<>(row.getLong("seq"), (row.getString("name") != null)
					? new App(row.getString("name"), AppStatus.fromWireName(row.getString("status")),
							ModelJson.read(row.getString("paths"), PATHS))
					: null))
			.single();
	}

	public Versioned<Terminal> terminal(String id) {
		return this.jdbc.sql("""
				select c.seq, t.id, t.name from change_counter c left join terminal t on t.id = ? where c.id = 1
				""")
			.param(id)
			.query((row, index) -> new Versioned<>(row.getLong("seq"),
					(row.getString("id") != null) ? new Terminal(row.getString("id"), row.getString("name")) : null))
			.single();
	}

	public Versioned<PortalIdentity> defaultIdentity() {
		return this.jdbc.sql("""
				select c.seq, i.id, i.domain, i.public_key_pem, i.name, i.email
				from change_counter c left join identity i on i.is_default where c.id = 1
				""")
			.query((row, index) -> {
				String id = row.getString("id");
				return new Versioned<>(row.getLong("seq"), (id != null) ? new PortalIdentity(id,
						PortalIdentity.shortIdOf(id), row.getString("domain"), row.getString("public_key_pem"),
						row.getString("name"), row.getString("email"))
						: null);
			})
			.single();
	}

	public Versioned<TokenKey> tokenKey(String name) {
		return this.jdbc.sql("""
				select c.seq, k.public_key from change_counter c left join token_key k on k.name = ? where c.id = 1
				""")
			.param(name)
			.query((row, index) -> {
				byte[] publicKey = row.getBytes("public_key");
				return new Versioned<>(row.getLong("seq"), (publicKey != null) ? new TokenKey(publicKey) : null);
			})
			.single();
	}

	public Versioned<Peer> peer(String shortId) {
		return this.jdbc.sql("""
				select c.seq, p.id, p.name, p.domain, p.public_key_pem
				from change_counter c left join peer p on p.short_id = ? where c.id = 1
				""")
			.param(shortId)
			.query((row, index) -> new Versioned<>(row.getLong("seq"), (row.getString("id") != null)
					? new Peer(row.getString("id"), row.getString("name"), row.getString("domain"), row.getString("public_key_pem"))
					: null))
			.single();
	}

}
