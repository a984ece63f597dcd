package dev.gatehouse.auth.forwardauth;

/**
 * Extracts the terminal token from the {@code authorization} cookie. The value may be prefixed
 * {@code Bearer } (or {@code Bearer%20}, as browsers store it), and may be quoted.
 */
final class TerminalCookie {

	private static final String NAME = "authorization";

	private TerminalCookie() {
	}

	/**
	 * The token in one {@code Cookie} header: of its first {@code authorization} cookie that has one, as
	 * across {@code Cookie} headers ({@link ForwardedHeaders#token()}).
	 * @param cookieHeader the header's value
	 * @return the token, or null when it has no (non-empty) authorization cookie
	 */
	static String token(String cookieHeader) {
		int position = 0;
		while (position < cookieHeader.length()) {
			int end = cookieHeader.indexOf(';', position);
			if (end < 0) {
				end = cookieHeader.length();
			}
			// '=' within this cookie only: a search to the header's end for each of n cookies costs n² on a
			// header of semicolons
			int equals = cookieHeader.indexOf('=', position, end);
			if (equals > 0 && cookieHeader.substring(position, equals).strip().equals(NAME)) {
				String token = clean(cookieHeader.substring(equals + 1, end).strip());
				if (token != null) {
					return token;
				}
			}
			position = end + 1;
		}
		return null;
	}

	private static String clean(String value) {
		if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
			value = value.substring(1, value.length() - 1);
		}
		if (value.regionMatches(true, 0, "Bearer%20", 0, 9)) {
			value = value.substring(9);
		}
		else if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
			value = value.substring(7);
		}
		value = value.strip();
		return value.isEmpty() ? null : value;
	}

}
