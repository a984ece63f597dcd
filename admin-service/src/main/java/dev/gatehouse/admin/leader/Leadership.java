package dev.gatehouse.admin.leader;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Elects one leader among the admin instances of an installation: the holder of a PostgreSQL
 * session-level advisory lock, taken on a connection of its own (not from the pool). Every admin serves
 * the API and publishes heartbeats; only the leader runs the work that must happen once (the lifecycle
 * loop and starts on access, the activity consumer, the Redis epoch check and its re-tombstoning).
 * <p>
 * There is no lease to renew or expire: PostgreSQL releases the lock when the leader's session
 * ends, which on the same host is the moment its process dies (the kernel closes the socket), and across
 * hosts when TCP keepalive or {@code tcp_user_timeout} gives up on a vanished peer (set on the session:
 * about 5 s). Every {@link #CHECK_INTERVAL} each admin either tries the lock or, holding it, proves its
 * session alive with a round trip. Work that acts on the outside world calls {@link #confirm()} first, so
 * a deposed leader (its session gone, say, behind a partition) notices before its next action, not only at
 * its next check. Runtime calls cannot be fenced, so at most the one action already under way overlaps
 * the new leader's.
 */
@Component
public class Leadership implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(Leadership.class);

	/** The advisory lock's key, "gatehous" in ASCII; advisory locks are per database, so per installation. */
	static final long LOCK_KEY = 0x67617465686f7573L;

	/** How often a follower tries the lock, and a leader proves its session. */
	static final Duration CHECK_INTERVAL = Duration.ofMillis(500);

	/**
	 * How long a leader that lost its session waits before it tries the lock again: a healthy follower
	 * (which tries every {@link #CHECK_INTERVAL}) takes over, rather than the admin whose link just failed.
	 */
	static final Duration STEP_BACK = Duration.ofSeconds(2);

	private static final int SESSION_CHECK_SECONDS = 2;

	/** A follower that cannot reach PostgreSQL says so at its first failure, then once a minute. */
	private static final int FAILED_TRIES_PER_WARNING = 120;

	private final DataSourceProperties database;

	private final Object sessionLock = new Object();

	private Connection session;

	private volatile boolean leader;

	/** When this admin last lost its lock's session ({@code System.nanoTime()}); null when it is not stepping back. */
	private Long steppedBackAt;

	private long failedTries;

	private volatile Thread worker;

	Leadership(DataSourceProperties database, MeterRegistry meters) {
		this.database = database;
		Gauge.builder("gatehouse.admin.leader", () -> this.leader ? 1 : 0)
			.description("1 while this admin holds the installation's leader lock")
			.register(meters);
	}

	/**
	 * Whether this admin was the leader at its last check (at most {@link #CHECK_INTERVAL} ago).
	 * @return true on the leader
	 */
	public boolean isLeader() {
		return this.leader;
	}

	/**
	 * Whether this admin is the leader now: a round trip on the lock's session.
	 * @return true when this admin holds the lock and its session is alive
	 */
	public boolean confirm() {
		if (!this.leader) {
			// without waiting for a check that may be opening a session
			return false;
		}
		synchronized (this.sessionLock) {
			if (!this.leader) {
				return false;
			}
			try {
				if (this.session.isValid(SESSION_CHECK_SECONDS)) {
					return true;
				}
				lose("its session no longer answers");
			}
			catch (SQLException ex) {
				lose(ex.toString());
			}
			return false;
		}
	}

	void check() {
		synchronized (this.sessionLock) {
			if (this.worker == null) {
				// stopping: never take the lock again, even if this check waited for stop() to release it
				return;
			}
			try {
				if (this.session == null) {
					this.session = open();
				}
				if (this.leader) {
					if (!this.session.isValid(SESSION_CHECK_SECONDS)) {
						lose("its session no longer answers");
					}
					return;
				}
				if (this.steppedBackAt != null && System.nanoTime() - this.steppedBackAt < STEP_BACK.toNanos()) {
					return;
				}
				this.steppedBackAt = null;
				this.failedTries = 0;
				if (tryLock()) {
					this.leader = true;
					logger.info("This admin is now the leader of its installation");
				}
			}
			catch (SQLException ex) {
				lose(ex.toString());
			}
		}
	}

	private boolean tryLock() throws SQLException {
		// never on a standby (a URL that points at one during a PostgreSQL failover): it grants advisory locks
		// of its own
		try (PreparedStatement statement = this.session
			.prepareStatement("select case when pg_is_in_recovery() then false else pg_try_advisory_lock(?) end")) {
			statement.setLong(1, LOCK_KEY);
			try (ResultSet result = statement.executeQuery()) {
				return result.next() && result.getBoolean(1);
			}
		}
	}

	/** Gives up the lock's session: a new one tries again at the next check. */
	private void lose(String why) {
		if (this.leader) {
			logger.warn("This admin is no longer the leader, and steps back for {}: {}", STEP_BACK, why);
			this.steppedBackAt = System.nanoTime();
		}
		else if (++this.failedTries % FAILED_TRIES_PER_WARNING == 1) {
			logger.warn("This admin cannot try the leader lock ({} tries so far): {}", this.failedTries, why);
		}
		this.leader = false;
		closeSession();
	}

	private void closeSession() {
		if (this.session != null) {
			try {
				this.session.close();
			}
			catch (SQLException ex) {
				logger.debug("Closing the leader lock's session failed: {}", ex.toString());
			}
			this.session = null;
		}
	}

	private Connection open() throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", this.database.determineUsername());
		String password = this.database.determinePassword();
		if (password != null) {
			properties.setProperty("password", password);
		}
		properties.setProperty("ApplicationName", "gatehouse-admin-leader");
		properties.setProperty("connectTimeout", "2");
		properties.setProperty("socketTimeout", "5");
		properties.setProperty("tcpKeepAlive", "true");
		Connection connection = DriverManager.getConnection(this.database.determineUrl(), properties);
		try (Statement statement = connection.createStatement()) {
			// how soon PostgreSQL gives up on a leader whose host vanished, and so frees the lock
			statement.execute("set tcp_keepalives_idle = 2; set tcp_keepalives_interval = 1; "
					+ "set tcp_keepalives_count = 3; set tcp_user_timeout = 5000");
		}
		catch (SQLException ex) {
			connection.close();
			throw ex;
		}
		return connection;
	}

	@Override
	public void start() {
		Thread thread = Thread.ofPlatform().name("leader-election").daemon().unstarted(this::run);
		this.worker = thread;
		thread.start();
	}

	private void run() {
		while (this.worker == Thread.currentThread()) {
			try {
				check();
			}
			catch (RuntimeException ex) {
				// a check that failed unexpectedly must not end the thread with the flag frozen
				synchronized (this.sessionLock) {
					lose(ex.toString());
				}
			}
			try {
				Thread.sleep(CHECK_INTERVAL);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	/** Ends the session, which releases the lock at once: the next admin need not wait for a timeout. */
	@Override
	public void stop() {
		Thread thread = this.worker;
		this.worker = null;
		if (thread != null) {
			thread.interrupt();
		}
		synchronized (this.sessionLock) {
			if (this.leader) {
				logger.info("This admin is stopping: leadership released");
				this.leader = false;
			}
			closeSession();
		}
	}

	@Override
	public boolean isRunning() {
		return this.worker != null;
	}

	/** Started before, and stopped after, the work it guards (the activity consumer's default phase). */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1;
	}

}
