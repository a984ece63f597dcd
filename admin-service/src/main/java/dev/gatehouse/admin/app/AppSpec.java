package dev.gatehouse.admin.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gatehouse.model.app.Access;
import dev.gatehouse.model.app.HeaderName;
import dev.gatehouse.model.app.HeaderTemplate;
import dev.gatehouse.model.app.PathRule;
import dev.gatehouse.model.app.RequestPath;

/**
 * The body of {@code PUT /api/apps/{name}}, as sent; {@link #validate()} checks it.
 *
 * @param paths path prefix to rule
 * @param lifecycle start and stop settings (optional)
 */
record AppSpec(Map<String, PathSpec> paths, LifecycleSpec lifecycle) {

	/** The longest idle time we accept: a year. */
	static final long MAX_IDLE_FOR_STOP_SECONDS = 365L * 24 * 3600;

	static final long DEFAULT_IDLE_FOR_STOP_SECONDS = 3600;

	/**
	 * Checks every rule and collects every violation.
	 * @return the valid app definition, or the list of violations
	 */
	Validated validate() {
		List<String> errors = new ArrayList<>();
		Map<String, PathRule> rules = new LinkedHashMap<>();
		if (this.paths == null || this.paths.isEmpty()) {
			errors.add("paths must name at least one path prefix");
		}
		else {
			this.paths.forEach((prefix, spec) -> validatePath(prefix, spec, errors, rules));
		}
		boolean alwaysOn = false;
		long idleForStop = DEFAULT_IDLE_FOR_STOP_SECONDS;
		if (this.lifecycle != null) {
			alwaysOn = Boolean.TRUE.equals(this.lifecycle.alwaysOn());
			if (this.lifecycle.idleForStop() != null) {
				idleForStop = this.lifecycle.idleForStop();
				if (idleForStop < 1 || idleForStop > MAX_IDLE_FOR_STOP_SECONDS) {
					errors.add("lifecycle.idle_for_stop must be between 1 and %d seconds, not %d"
						.formatted(MAX_IDLE_FOR_STOP_SECONDS, idleForStop));
				}
			}
		}
		return errors.isEmpty() ? new Validated(rules, new Lifecycle(alwaysOn, idleForStop), List.of())
				: new Validated(Map.of(), null, errors);
	}

	private static void validatePath(String prefix, PathSpec spec, List<String> errors, Map<String, PathRule> rules) {
		Optional<String> canonical = RequestPath.canonicalPrefix(prefix);
		if (canonical.isEmpty()) {
			errors.add("path prefix '%s' must be a clean absolute path: starting with '/', without query, escapes, "
				.formatted(prefix) + "'//' or dot segments");
		}
		else if (rules.containsKey(canonical.get())) {
			errors.add("path prefix '%s' is given twice".formatted(canonical.get()));
		}
		if (spec == null) {
			errors.add("path '%s' needs a rule".formatted(prefix));
			return;
		}
		Access access = null;
		try {
			access = Access.fromWireName(spec.access());
		}
		catch (IllegalArgumentException ex) {
			errors.add("path '%s': %s".formatted(prefix, ex.getMessage()));
		}
		Map<String, String> headers = (spec.headers() != null) ? spec.headers() : Map.of();
		headers.forEach((name, template) -> {
			if (!HeaderName.isToken(name)) {
				errors.add("path '%s': header name '%s' is not a valid HTTP field name".formatted(prefix, name));
			}
			else if (HeaderName.isReserved(name)) {
				errors.add("path '%s': header '%s' is set by Gatehouse itself and cannot be templated".formatted(prefix, name));
			}
			try {
				HeaderTemplate.parse(template);
			}
			catch (IllegalArgumentException ex) {
				errors.add("path '%s': header '%s': %s".formatted(prefix, name, ex.getMessage()));
			}
		});
		if (canonical.isPresent() && access != null) {
			rules.put(canonical.get(), new PathRule(access, headers));
		}
	}

	/**
	 * One path rule as sent.
	 *
	 * @param access {@code public}, {@code private} or {@code peer}
	 * @param headers header name to template
	 */
	record PathSpec(String access, Map<String, String> headers) {
	}

	/**
	 * Lifecycle settings as sent.
	 *
	 * @param alwaysOn keep the app running even when idle
	 * @param idleForStop seconds without access after which the app is stopped
	 */
	record LifecycleSpec(Boolean alwaysOn, Long idleForStop) {
	}

	/**
	 * The outcome of validation.
	 *
	 * @param paths canonical prefix to rule (empty when invalid)
	 * @param lifecycle the lifecycle settings (null when invalid)
	 * @param errors every violation (empty when valid)
	 */
	record Validated(Map<String, PathRule> paths, Lifecycle lifecycle, List<String> errors) {
	}

}
