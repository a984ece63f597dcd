package dev.gatehouse.model.app;

/**
 * App names are DNS labels: an app is served at {@code <name>.<zone>}.
 */
public final class AppName {

	private static final int MAX_LENGTH = 63;

	private AppName() {
	}

	/**
	 * Whether a string is a valid, lower-case DNS label.
	 * @param name the candidate
	 * @return true when it can name an app
	 */
	public static boolean isValid(String name) {
		return name != null && isLabel(name, 0, name.length(), false);
	}

	/**
	 * Whether {@code text[start, end)} is a DNS label: 1 to 63 letters, digits and inner hyphens. Runs on
	 * every forwardAuth request, so it allocates nothing.
	 * @param text the text
	 * @param start the first character
	 * @param end the index after the last character
	 * @param ignoreCase whether upper-case letters count as letters
	 * @return true for a label
	 */
	public static boolean isLabel(CharSequence text, int start, int end, boolean ignoreCase) {
		int length = end - start;
		if (length < 1 || length > MAX_LENGTH || text.charAt(start) == '-' || text.charAt(end - 1) == '-') {
			return false;
		}
		for (int i = start; i < end; i++) {
			char c = text.charAt(i);
			boolean valid = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
					|| (ignoreCase && c >= 'A' && c <= 'Z');
			if (!valid) {
				return false;
			}
		}
		return true;
	}

}
