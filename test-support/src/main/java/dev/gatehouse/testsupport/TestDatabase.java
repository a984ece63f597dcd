package dev.gatehouse.testsupport;

/**
 * A database of one test, dropped on {@link #close()}.
 *
 * @param url its JDBC URL
 * @param user the user to connect as
 * @param password that user's password
 * @param dropper drops the database
 */
public record TestDatabase(String url, String user, String password, Runnable dropper) implements AutoCloseable {

	@Override
	public void close() {
		this.dropper.run();
	}

}
