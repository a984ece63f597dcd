package dev.gatehouse.admin.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.gatehouse.admin.app.AppRepository;
import dev.gatehouse.admin.changelog.ChangeLog;
import dev.gatehouse.admin.config.Problems;
import dev.gatehouse.admin.leader.Leadership;
import dev.gatehouse.model.app.AppStatus;
import dev.gatehouse.model.invalidation.CacheKind;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts apps when they are accessed, stops idle ones, keeps always-on ones running, and records every
 * status change through the change log (the auth tier caches the status with the app).
 * <p>
 * Starts on access are asynchronous, single-flight per app and throttled to one attempt per app per
 * {@code startThrottle}, however many replicas report the app. Without a runtime ({@code none}), only
 * activity is recorded.
 */
@Service
public class LifecycleService implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(LifecycleService.class);

	private final AppRuntime runtime;

	private final LifecycleRepository apps;

	private final AppRepository appTable;

	private final ChangeLog changeLog;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final Duration startThrottle;

	private final MeterRegistry meters;

	private final Leadership leadership;

	private final Map<String, Instant> lastStartAttempt = new ConcurrentHashMap<>();

	private final Map<String, Boolean> starting = new ConcurrentHashMap<>();

	private final ExecutorService starter = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("app-starter-", 0).daemon().factory());

	LifecycleService(ObjectProvider<AppRuntime> runtime, LifecycleRepository apps, AppRepository appTable,
			ChangeLog changeLog, TransactionTemplate transactions, Clock clock, LifecycleProperties properties,
			Leadership leadership, MeterRegistry meters) {
		this.runtime = runtime.getIfAvailable();
		this.apps = apps;
		this.appTable = appTable;
		this.changeLog = changeLog;
		this.transactions = transactions;
		this.clock = clock;
		this.startThrottle = properties.startThrottle();
		this.meters = meters;
		this.leadership = leadership;
	}

	/**
	 * Apps the auth tier let requests through to: start each one that is not running. Called on the leader
	 * only (the activity consumer runs there), which confirms its leadership before each start.
	 * @param names the apps
	 */
	public void accessed(Collection<String> names) {
		if (this.runtime == null) {
			return;
		}
		Instant now = this.clock.instant();
		for (String app : names) {
			Instant last = this.lastStartAttempt.get(app);
			if (last != null && Duration.between(last, now).compareTo(this.startThrottle) < 0) {
				continue;
			}
			if (this.starting.putIfAbsent(app, Boolean.TRUE) != null) {
				continue;
			}
			this.lastStartAttempt.put(app, now);
			this.starter.execute(() -> {
				try {
					ensureRunning(app);
				}
				finally {
					this.starting.remove(app);
				}
			});
		}
	}

	/**
	 * Starts an app now (admin API).
	 * @param app the app
	 * @return the status afterwards
	 */
	public AppStatus start(String app) {
		return act(app, "start", () -> requireRuntime().start(app));
	}

	/**
	 * Stops an app now (admin API).
	 * @param app the app
	 * @return the status afterwards
	 */
	public AppStatus stop(String app) {
		return act(app, "stop", () -> requireRuntime().stop(app));
	}

	/**
	 * The control loop: stops apps idle longer than their {@code idle_for_stop} unless always-on, starts
	 * always-on apps that are not running, and records what the runtime reports. Runs every
	 * {@code gatehouse.admin.lifecycle.period} ({@link LifecycleConfiguration}), on the leader only, which
	 * confirms its leadership before each start or stop (a deposed leader stops before its next action).
	 */
	public void reconcile() {
		if (this.runtime == null || !this.leadership.isLeader()) {
			return;
		}
		Instant now = this.clock.instant();
		for (LifecycleRepository.ManagedApp app : this.apps.findAll()) {
			try {
				AppStatus actual = this.runtime.status(app.name());
				if (app.alwaysOn() && actual != AppStatus.RUNNING && actual != AppStatus.DOWN) {
					if (!this.leadership.confirm()) {
						return;
					}
					count("start", "always-on");
					this.runtime.start(app.name());
					actual = this.runtime.status(app.name());
				}
				else if (!app.alwaysOn() && actual == AppStatus.RUNNING
						&& app.lastSeen().plusSeconds(app.idleForStop()).isBefore(now)) {
					if (!this.leadership.confirm()) {
						return;
					}
					count("stop", "idle");
					this.runtime.stop(app.name());
					actual = this.runtime.status(app.name());
				}
				record(app.name(), actual);
			}
			catch (AppRuntimeException ex) {
				logger.warn("Lifecycle of app '{}' failed: {}", app.name(), ex.getMessage());
				count("reconcile", "failed");
			}
		}
	}

	private void ensureRunning(String app) {
		try {
			AppStatus status = this.runtime.status(app);
			if (status == AppStatus.RUNNING || status == AppStatus.DOWN) {
				count("start", (status == AppStatus.RUNNING) ? "already-running" : "no-containers");
				record(app, status);
				return;
			}
			if (!this.leadership.confirm()) {
				return;
			}
			this.runtime.start(app);
			count("start", "started");
			record(app, this.runtime.status(app));
		}
		catch (AppRuntimeException ex) {
			count("start", "failed");
			logger.warn("Could not start app '{}' on access: {}", app, ex.getMessage());
		}
	}

	private AppStatus act(String app, String action, Runnable operation) {
		if (!this.apps.exists(app)) {
			throw Problems.notFound("app '%s' does not exist".formatted(app));
		}
		AppRuntime current = requireRuntime();
		try {
			operation.run();
			count(action, "done");
			AppStatus status = current.status(app);
			record(app, status);
			return status;
		}
		catch (AppRuntimeException ex) {
			count(action, "failed");
			throw Problems.unavailable(ex.getMessage());
		}
	}

	private void record(String app, AppStatus status) {
		this.transactions.executeWithoutResult(transaction -> {
			this.changeLog.lock();
			if (this.appTable.updateStatus(app, status)) {
				this.changeLog.record(CacheKind.APP, app);
			}
		});
	}

	private AppRuntime requireRuntime() {
		if (this.runtime == null) {
			throw Problems.conflict("No app runtime is configured (gatehouse.admin.lifecycle.runtime=none)");
		}
		return this.runtime;
	}

	private void count(String action, String outcome) {
		this.meters.counter("gatehouse.lifecycle.actions", "action", action, "outcome", outcome).increment();
	}

	@Override
	public void destroy() {
		this.starter.shutdownNow();
	}

}
