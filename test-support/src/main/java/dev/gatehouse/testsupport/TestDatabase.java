package dev.gatehouse.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database of one test, dropped on {@link #close()}.
 *
 * @param url its JDBC URL
 * @param user the user to connect as
 * @param password that user's password
 * @param dropper drops the database
 */
public record TestDatabase(String url, String user, String password, Runnable dropper) implements AutoCloseable {

	/** The login role the auth replicas of every test use; a member of the admin's reader role. */
	public static final String REPLICA_USER = "gatehouse_auth_test";

	/**
	 * One fixed password: the role is shared by every test database and every test JVM on the server, so a
	 * per-run password set by one JVM would lock out the replicas another runs at the same time. The role
	 * can read only what the reader role grants, on test databases.
	 */
	private static final String REPLICA_PASSWORD = "gatehouse-replica-test";

	/**
	 * Makes sure {@link #REPLICA_USER} exists, can log in and is a member of a group role.
	 * @param groupRole the role whose privileges the replicas get, e.g. {@code gatehouse_reader}
	 * @return the password to log in with
	 */
	public String replicaLogin(String groupRole) {
		try (Connection connection = DriverManager.getConnection(this.url, this.user, this.password);
				Statement statement = connection.createStatement()) {
			statement.execute("""
					do $$ begin
					  if not exists (select 1 from pg_roles where rolname = '%1$s') then
					    create role %1$s login password '%2$s';
					  end if;
					end $$""".formatted(REPLICA_USER, REPLICA_PASSWORD));
			statement.execute("alter role %s login password '%s'".formatted(REPLICA_USER, REPLICA_PASSWORD));
			statement.execute("grant %s to %s".formatted(groupRole, REPLICA_USER));
		}
		catch (SQLException ex) {
			throw new IllegalStateException("could not set up the replica login role", ex);
		}
		return REPLICA_PASSWORD;
	}

	@Override
	public void close() {
		this.dropper.run();
	}

}
