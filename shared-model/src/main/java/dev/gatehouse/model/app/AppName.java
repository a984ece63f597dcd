package dev.gatehouse.model.app;

import java.util.regex.Pattern;

/**
 * App names are DNS labels: an app is served at {@code <name>.<zone>}.
 */
public final class AppName {

	private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

	private AppName() {
	}

	/**
	 * Whether a string is a valid, lower-case DNS label.
	 * @param name the candidate
	 * @return true when it can name an app
	 */
	public static boolean isValid(String name) {
		return name != null && DNS_LABEL.matcher(name).matches();
	}

}
