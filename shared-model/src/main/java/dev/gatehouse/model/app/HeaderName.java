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

	/**
	 * What every header an app rule sets starts with (in any case): the rules can only add identity
	 * information, never a header that means something to the proxy or the app's server, such as
	 * {@code Content-Length}, {@code Transfer-Encoding} or {@code Host}.
	 */
	public static final String APP_HEADER_PREFIX = "X-Ptl-";

	/** The client's type, {@code terminal} or {@code anonymous}. */
	public static final String CLIENT_TYPE = "X-Ptl-Client-Type";

	/** The client's id, empty when anonymous. */
	public static final String CLIENT_ID = "X-Ptl-Client-Id";

	/** The client's name, empty when anonymous. */
	public static final String CLIENT_NAME = "X-Ptl-Client-Name";

	/** The default identity's id. */
	public static final String PORTAL_ID = "X-Ptl-ID";

	/** The identity headers the auth tier always sets itself (lower case); no template may replace them. */
	private static final Set<String> RESERVED = Set.of(CLIENT_TYPE.toLowerCase(Locale.ROOT),
			CLIENT_ID.toLowerCase(Locale.ROOT), CLIENT_NAME.toLowerCase(Locale.ROOT), PORTAL_ID.toLowerCase(Locale.ROOT));

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
	 * Whether a name is in the space app rules may set: the app-header prefix, then letters, digits and
	 * {@code -} only. No underscore: CGI, WSGI, PHP and nginx read {@code X-Ptl-Client_Id} as
	 * {@code X-Ptl-Client-Id}, so it would shadow an identity header.
	 * @param name a header name
	 * @return true when it starts with {@value #APP_HEADER_PREFIX} (any case) and has more after it
	 */
	public static boolean hasAppPrefix(String name) {
		if (name.length() <= APP_HEADER_PREFIX.length()
				|| !name.regionMatches(true, 0, APP_HEADER_PREFIX, 0, APP_HEADER_PREFIX.length())) {
			return false;
		}
		for (int i = APP_HEADER_PREFIX.length(); i < name.length(); i++) {
			char c = name.charAt(i);
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether a path rule may set a header of this name: a valid field name with the app-header prefix
	 * that is not one of the identity headers. Rules written before these rules existed may hold others.
	 * @param name a header name
	 * @return true when a rule may set it
	 */
	public static boolean isRuleHeader(String name) {
		return isToken(name) && hasAppPrefix(name) && !isReserved(name);
	}

	/**
	 * Whether a name is one of the identity headers the auth tier owns, in any spelling a backend could
	 * read as one ({@code _} for {@code -}, any case).
	 * @param name a header name, any case
	 * @return true for {@code X-Ptl-Client-Type|Id|Name} and {@code X-Ptl-ID}
	 */
	public static boolean isReserved(String name) {
		return RESERVED.contains(name.toLowerCase(Locale.ROOT).replace('_', '-'));
	}

}
