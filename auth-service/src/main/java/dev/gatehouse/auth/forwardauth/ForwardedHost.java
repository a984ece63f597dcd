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
		int end = host.length();
		int colon = host.indexOf(':');
		if (colon >= 0) {
			int digits = end - colon - 1;
			if (digits < 1 || digits > 5) {
				return null;
			}
			for (int i = colon + 1; i < end; i++) {
				if (!Character.isDigit(host.charAt(i))) {
					return null;
				}
			}
			end = colon;
		}
		if (end > 0 && host.charAt(end - 1) == '.') {
			end--;
		}
		int firstDot = -1;
		int labelStart = 0;
		for (int i = 0; i <= end; i++) {
			if (i == end || host.charAt(i) == '.') {
				if (!AppName.isLabel(host, labelStart, i, true)) {
					return null;
				}
				if (firstDot < 0) {
					firstDot = i;
				}
				labelStart = i + 1;
			}
		}
		return host.substring(0, firstDot).toLowerCase(Locale.ROOT);
	}

}
