package dev.gatehouse.model.app;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rules for the names of headers an app's path rules may set.
 */
public final class HeaderName {

	/** RFC 9110 token characters. */
	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

	/** The identity headers the auth tier always sets itself; no template may replace them. */
	public static final Set<String> RESERVED = Set.of("x-ptl-client-type", "x-ptl-client-id", "x-ptl-client-name",
			"x-ptl-id");

	private HeaderName() {
	}

	/**
	 * Whether a string is a valid HTTP field name.
	 * @param name the candidate
	 * @return true for a non-empty RFC 9110 token
	 */
	public static boolean isToken(String name) {
		return name != null && TOKEN.matcher(name).matches();
	}

	/**
	 * Whether a name is one of the identity headers the auth tier owns.
	 * @param name a header name, any case
	 * @return true for {@code X-Ptl-Client-Type|Id|Name} and {@code X-Ptl-ID}
	 */
	public static boolean isReserved(String name) {
		return RESERVED.contains(name.toLowerCase(Locale.ROOT));
	}

}
