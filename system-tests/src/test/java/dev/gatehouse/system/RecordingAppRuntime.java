package dev.gatehouse.system;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.gatehouse.admin.lifecycle.AppRuntime;
import dev.gatehouse.model.app.AppStatus;

/**
 * An in-memory container runtime: apps have a state, and every call is recorded.
 */
final class RecordingAppRuntime implements AppRuntime {

	private final Map<String, AppStatus> states = new ConcurrentHashMap<>();

	final List<String> calls = new CopyOnWriteArrayList<>();

	private final Set<String> stuck = ConcurrentHashMap.newKeySet();

	void install(String app, AppStatus state) {
		this.states.put(app, state);
	}

	/** An app that never comes up: starts are recorded and change nothing, so every control loop retries. */
	void installStuck(String app) {
		install(app, AppStatus.STOPPED);
		this.stuck.add(app);
	}

	long count(String call) {
		return this.calls.stream().filter(call::equals).count();
	}

	@Override
	public AppStatus status(String app) {
		return this.states.getOrDefault(app, AppStatus.DOWN);
	}

	@Override
	public void start(String app) {
		this.calls.add("start " + app);
		if (!this.stuck.contains(app)) {
			this.states.computeIfPresent(app, (name, state) -> AppStatus.RUNNING);
		}
	}

	@Override
	public void stop(String app) {
		this.calls.add("stop " + app);
		this.states.computeIfPresent(app, (name, state) -> AppStatus.STOPPED);
	}

	@Override
	public void pause(String app) {
		this.calls.add("pause " + app);
		this.states.computeIfPresent(app, (name, state) -> AppStatus.PAUSED);
	}

	@Override
	public void unpause(String app) {
		this.calls.add("unpause " + app);
		this.states.computeIfPresent(app, (name, state) -> AppStatus.RUNNING);
	}

}
