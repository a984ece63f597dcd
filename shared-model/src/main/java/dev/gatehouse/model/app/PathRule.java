package dev.gatehouse.model.app;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What applies under one path prefix of an app: who may enter and which headers the app receives.
 *
 * @param access who may use the paths under the prefix
 * @param headers header name to template source, rendered for every allowed request
 */
public record PathRule(Access access, Map<String, String> headers) {

	public PathRule {
		Objects.requireNonNull(access, "access");
		headers = (headers != null) ? Collections.unmodifiableMap(new TreeMap<>(headers)) : Map.of();
	}

}
