package dev.gatehouse.auth.forwardauth;

import java.util.Locale;

import dev.gatehouse.model.app.AppName;

/**
 * Finds the app a request is for: the first label of {@code X-Forwarded-Host}.
 */
final class ForwardedHost {

	private ForwardedHost() {
	}

	/**
	 * The app name of a forwarded host.
	 * @param host the {@code X-Forwarded-Host} value, e.g. {@code files.example.org:443}
	 * @return the app name, or null when the host is missing or malformed
	 */
	static String appName(String host) {
		if (host == null) {
			return null;
		}
		String trimmed = host.strip();
		int colon = trimmed.indexOf(':');
		if (colon >= 0) {
			String port = trimmed.substring(colon + 1);
			if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
				return null;
			}
			trimmed = trimmed.substring(0, colon);
		}
		if (trimmed.endsWith(".")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		int dot = trimmed.indexOf('.');
		String label = ((dot < 0) ? trimmed : trimmed.substring(0, dot)).toLowerCase(Locale.ROOT);
		if (!AppName.isValid(label) || (dot >= 0 && !validDomain(trimmed.substring(dot + 1)))) {
			return null;
		}
		return label;
	}

	private static boolean validDomain(String rest) {
		for (String label : rest.split("\\.", -1)) {
			if (!AppName.isValid(label.toLowerCase(Locale.ROOT))) {
				return false;
			}
		}
		return true;
	}

}
