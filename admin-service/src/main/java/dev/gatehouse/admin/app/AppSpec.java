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

	/** Path rules per app: each request looks for the longest matching prefix among them. */
	static final int MAX_RULES = 64;

	static final int MAX_PREFIX_LENGTH = 256;

	static final int MAX_HEADER_NAME_LENGTH = 64;

	static final int MAX_HEADERS_PER_RULE = 16;

	static final int MAX_TEMPLATE_LENGTH = 1024;

	/** The sum of the lengths of every prefix, header name and template of an app: 32 KiB. */
	static final int MAX_DEFINITION_LENGTH = 32 * 1024;

	/**
	 * The most bytes the headers of one rule may take in the auth tier's response, worst case
	 * ({@code name: value\r\n} per header, every variable at its longest, after encoding): 6 KiB.
	 * <p>
	 * The servlet container's response header buffer is 8 KiB (Tomcat's default, Spring Boot's
	 * {@code server.tomcat.max-http-response-header-size}, which the auth-service keeps); a response that
	 * overflows it is a 500. The other 2 KiB hold the status line, the container's own headers (about 110
	 * bytes: {@code Date}, {@code Content-Length}, {@code Keep-Alive}, {@code Connection}) and the four identity
	 * headers, at most about 1,080 bytes: {@code X-Ptl-Client-Type} (30), {@code X-Ptl-Client-Id} (55),
	 * {@code X-Ptl-Client-Name} (21 + 907: a 100-character name, encoded) and {@code X-Ptl-ID} (64).
	 */
	static final int MAX_RULE_HEADER_BYTES = 6 * 1024;

	/** How much of an offending value an error message quotes. */
	private static final int QUOTED_LENGTH = 64;

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
		else if (this.paths.size() > MAX_RULES) {
			// not one message per rule: the list of violations stays short whatever was sent
			errors.add("an app may have at most %d path rules, not %d".formatted(MAX_RULES, this.paths.size()));
		}
		else {
			this.paths.forEach((prefix, spec) -> validatePath(prefix, spec, errors, rules));
		}
		long definitionLength = definitionLength();
		if (definitionLength > MAX_DEFINITION_LENGTH) {
			errors.add("the path prefixes, header names and templates add up to %d characters; at most %d (32 KiB) "
				.formatted(definitionLength, MAX_DEFINITION_LENGTH) + "are allowed");
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

	private long definitionLength() {
		if (this.paths == null) {
			return 0;
		}
		long length = 0;
		for (Map.Entry<String, PathSpec> path : this.paths.entrySet()) {
			length += path.getKey().length();
			if (path.getValue() != null && path.getValue().headers() != null) {
				for (Map.Entry<String, String> header : path.getValue().headers().entrySet()) {
					length += header.getKey().length() + ((header.getValue() != null) ? header.getValue().length() : 0);
				}
			}
		}
		return length;
	}

	private static void validatePath(String prefix, PathSpec spec, List<String> errors, Map<String, PathRule> rules) {
		String path = quoted(prefix);
		Optional<String> canonical = Optional.empty();
		if (prefix.length() > MAX_PREFIX_LENGTH) {
			errors.add("path prefix %s is %d characters long; at most %d are allowed".formatted(path, prefix.length(),
					MAX_PREFIX_LENGTH));
		}
		else if (controlCharacter(prefix) >= 0) {
			errors.add("path prefix %s must not contain control characters (%s)".formatted(path, describeControl(prefix)));
		}
		else {
			canonical = RequestPath.canonicalPrefix(prefix);
			if (canonical.isEmpty()) {
				errors.add("path prefix %s must be a clean absolute path: starting with '/', without query, escapes, "
					.formatted(path) + "'//' or dot segments");
			}
			else if (rules.containsKey(canonical.get())) {
				errors.add("path prefix '%s' is given twice".formatted(canonical.get()));
			}
		}
		if (spec == null) {
			errors.add("path %s needs a rule".formatted(path));
			return;
		}
		Access access = null;
		try {
			access = Access.fromWireName(spec.access());
		}
		catch (IllegalArgumentException ex) {
			errors.add("path %s: %s".formatted(path, ex.getMessage()));
		}
		Map<String, String> headers = (spec.headers() != null) ? spec.headers() : Map.of();
		if (headers.size() > MAX_HEADERS_PER_RULE) {
			errors.add("path %s sets %d headers; at most %d are allowed per rule".formatted(path, headers.size(),
					MAX_HEADERS_PER_RULE));
			return;
		}
		long worstCase = 0;
		for (Map.Entry<String, String> header : headers.entrySet()) {
			HeaderTemplate template = validateHeader(path, header.getKey(), header.getValue(), errors);
			if (template != null) {
				worstCase += header.getKey().length() + ": \r\n".length() + template.maxRenderedLength();
			}
		}
		if (worstCase > MAX_RULE_HEADER_BYTES) {
			errors.add(("path %s: its headers could take %d bytes once rendered (every variable at its longest, encoded); "
					+ "at most %d (6 KiB) are allowed per rule: use fewer headers or variables")
				.formatted(path, worstCase, MAX_RULE_HEADER_BYTES));
		}
		if (canonical.isPresent() && access != null) {
			rules.put(canonical.get(), new PathRule(access, headers));
		}
	}

	/** Checks one header of a rule; returns its compiled template, or null when the template is invalid. */
	private static HeaderTemplate validateHeader(String path, String name, String source, List<String> errors) {
		String header = quoted(name);
		if (name.length() > MAX_HEADER_NAME_LENGTH) {
			errors.add("path %s: header name %s is %d characters long; at most %d are allowed".formatted(path, header,
					name.length(), MAX_HEADER_NAME_LENGTH));
		}
		else if (!HeaderName.isToken(name)) {
			errors.add("path %s: header name %s is not a valid HTTP field name".formatted(path, header));
		}
		else if (!HeaderName.hasAppPrefix(name)) {
			errors.add(("path %s: header name %s must be '%s' followed by letters, digits and '-': a rule may only add "
					+ "identity information").formatted(path, header, HeaderName.APP_HEADER_PREFIX));
		}
		else if (HeaderName.isReserved(name)) {
			errors.add("path %s: header %s is set by Gatehouse itself and cannot be templated".formatted(path, header));
		}
		if (source == null) {
			errors.add("path %s: header %s needs a template".formatted(path, header));
			return null;
		}
		if (source.length() > MAX_TEMPLATE_LENGTH) {
			errors.add("path %s: header %s: the template is %d characters long; at most %d are allowed".formatted(path,
					header, source.length(), MAX_TEMPLATE_LENGTH));
			return null;
		}
		if (controlCharacter(source) >= 0) {
			errors.add("path %s: header %s: the template must not contain control characters (%s)".formatted(path, header,
					describeControl(source)));
			return null;
		}
		try {
			return HeaderTemplate.parse(source);
		}
		catch (IllegalArgumentException ex) {
			errors.add("path %s: header %s: %s".formatted(path, header, ex.getMessage()));
			return null;
		}
	}

	/** The offset of the first control character (C0, DEL or C1), or -1. */
	private static int controlCharacter(String value) {
		for (int i = 0; i < value.length(); i++) {
			if (Character.isISOControl(value.charAt(i))) {
				return i;
			}
		}
		return -1;
	}

	private static String describeControl(String value) {
		int offset = controlCharacter(value);
		return "U+%04X at offset %d".formatted((int) value.charAt(offset), offset);
	}

	/** A value for an error message: quoted, cut to a readable length, control characters shown as code points. */
	private static String quoted(String value) {
		String shown = (value.length() > QUOTED_LENGTH) ? value.substring(0, QUOTED_LENGTH) + "..." : value;
		StringBuilder quoted = new StringBuilder(shown.length() + 2).append('\'');
		shown.chars().forEach(c -> {
			if (Character.isISOControl(c)) {
				quoted.append("\\u%04X".formatted(c));
			}
			else {
				quoted.append((char) c);
			}
		});
		return quoted.append('\'').toString();
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
