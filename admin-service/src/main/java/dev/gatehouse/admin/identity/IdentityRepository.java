package dev.gatehouse.admin.identity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import dev.gatehouse.model.identity.PortalIdentity;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code identity} table.
 */
@Repository
class IdentityRepository {

	private static final String COLUMNS = "id, name, email, description, is_default, domain, public_key_pem";

	private final JdbcClient jdbc;

	IdentityRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(IdentityKeys keys, IdentitySpec spec, String domain, boolean isDefault) {
		this.jdbc.sql("""
				insert into identity (id, name, email, description, is_default, domain, public_key_pem, private_key_pem)
				values (?, ?, ?, ?, ?, ?, ?, ?)
				""")
			.params(keys.id(), spec.name(), spec.email(), spec.description(), isDefault, domain, keys.publicKeyPem(),
					keys.privateKeyPem())
			.update();
	}

	boolean update(String id, IdentitySpec spec) {
		return this.jdbc.sql("update identity set name = ?, email = ?, description = ? where id = ?")
			.params(spec.name(), spec.email(), spec.description(), id)
			.update() == 1;
	}

	boolean hasDefault() {
		return this.jdbc.sql("select exists (select 1 from identity where is_default)").query(Boolean.class).single();
	}

	void makeDefault(String id) {
		this.jdbc.sql("update identity set is_default = false where is_default and id <> ?").param(id).update();
		this.jdbc.sql("update identity set is_default = true where id = ?").param(id).update();
	}

	Optional<IdentityView> find(String id) {
		return this.jdbc.sql("select " + COLUMNS + " from identity where id = ?").param(id).query(IdentityRepository::view).optional();
	}

	Optional<IdentityView> findDefault() {
		return this.jdbc.sql("select " + COLUMNS + " from identity where is_default").query(IdentityRepository::view).optional();
	}

	/** The default identity's key material, private key included: only for signing, never for a view. */
	Optional<IdentityKeys> findDefaultKeys() {
		return this.jdbc.sql("select id, public_key_pem, private_key_pem from identity where is_default")
			.query((row, index) -> new IdentityKeys(row.getString("id"), row.getString("public_key_pem"),
					row.getString("private_key_pem")))
			.optional();
	}

	List<IdentityView> findAll() {
		return this.jdbc.sql("select " + COLUMNS + " from identity order by created_at, id").query(IdentityRepository::view).list();
	}

	private static IdentityView view(ResultSet row, int index) throws SQLException {
		String id = row.getString("id");
		return new IdentityView(id, PortalIdentity.shortIdOf(id), row.getString("name"), row.getString("email"),
				row.getString("description"), row.getBoolean("is_default"), row.getString("domain"),
				row.getString("public_key_pem"));
	}

}
