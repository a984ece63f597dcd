package dev.gatehouse.model.app;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An app as the auth tier needs it: its name, status and path rules.
 *
 * @param name the DNS label the app is served under
 * @param status the lifecycle status last recorded by the admin
 * @param paths path prefix to rule
 */
public record App(String name, AppStatus status, Map<String, PathRule> paths) {

	public App {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(status, "status");
		paths = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(paths, "paths")));
	}

}
