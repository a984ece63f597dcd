package dev.gatehouse.model.app;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads the path of a raw request target the way the app behind the proxy will route it, and refuses every
 * target that apps route differently, so that the rule decided on the path is the rule the app applies
 * (see {@code docs/path-model.md}).
 * <p>
 * The target is read as bytes, one char per byte: servlet containers hand header values over as ISO-8859-1,
 * so the raw UTF-8 request for {@code /café} arrives as {@code "/caf\u00c3\u00a9"}. Percent-escapes are
 * decoded as UTF-8 ({@code /caf%C3%A9} is {@code /café}) and the query is dropped. Refused, because servlet
 * containers, Go and Node read them differently or because browsers never send them:
 * <ul>
 * <li>a char above 0xFF (not a byte) or a {@code #} anywhere in the target;</li>
 * <li>raw bytes above 0x7F in the path: browsers percent-encode them, Tomcat refuses them, Go decodes them and
 * Express matches them against no route written for browsers;</li>
 * <li>path parameters: {@code ;} in the path, raw or as {@code %3B} (servlet containers strip them, other
 * apps route them literally);</li>
 * <li>escapes that change the structure or are decoded twice: {@code %2F}, {@code %5C}, {@code %3F},
 * {@code %23}, and {@code %25} followed by two hex digits;</li>
 * <li>escapes of unreserved characters (letters, digits, {@code - . _ ~}): browsers never send them, and
 * apps that route the raw path (Express) do not decode them;</li>
 * <li>empty ({@code //}) and dot segments ({@code .}, {@code ..}), raw or encoded: browsers resolve them,
 * servlet containers collapse and resolve them, Go redirects, Express routes them literally;</li>
 * <li>a backslash, control characters (raw, encoded or decoded), malformed escapes and invalid or overlong
 * UTF-8.</li>
 * </ul>
 */
public final class RequestPath {

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private RequestPath() {
	}

	/**
	 * Reads the path of a raw request target.
	 * @param rawUri the target as the client sent it, e.g. {@code X-Forwarded-Uri}, one char per byte
	 * @return the decoded path (always starting with {@code /}, query dropped), or empty when the target is
	 * ambiguous or malformed
	 */
	public static Optional<String> normalize(String rawUri) {
		if (rawUri == null || rawUri.isEmpty() || rawUri.charAt(0) != '/') {
			return Optional.empty();
		}
		int end = -1;
		boolean plain = true;
		char previous = 0;
		for (int i = 0; i < rawUri.length(); i++) {
			char c = rawUri.charAt(i);
			if (c == '#' || c > 0xff) {
				return Optional.empty();
			}
			if (end < 0) {
				if (c == '?') {
					end = i;
				}
				else if (c >= 0x80) {
					return Optional.empty();
				}
				else if (c == '%' || c == ';' || c == '\\' || c <= 0x20 || c == 0x7f
						|| (previous == '/' && (c == '/' || c == '.'))) {
					plain = false;
				}
				previous = c;
			}
		}
		if (end < 0) {
			end = rawUri.length();
		}
		// the common case, checked above without allocating: printable ASCII, no escapes, parameters,
		// backslashes, empty segments or segments starting with a dot
		if (plain) {
			return Optional.of((end == rawUri.length()) ? rawUri : rawUri.substring(0, end));
		}
		String decoded = decode(rawUri, end);
		return (decoded != null && segmentsAreClean(decoded)) ? Optional.of(decoded) : Optional.empty();
	}

	/**
	 * Whether a rule prefix matches a path, case-sensitively and on segment boundaries: {@code /private}
	 * matches {@code /private} and {@code /private/x} but not {@code /privateer}; {@code /} matches every
	 * path.
	 * @param prefix a rule prefix in canonical form (see {@link #canonicalPrefix(String)})
	 * @param path a path read by {@link #normalize(String)}
	 * @return true when the rule applies to the path
	 */
	public static boolean matches(String prefix, String path) {
		return matches(prefix, path, false);
	}

	/**
	 * Whether a rule prefix matches a path on segment boundaries, optionally ignoring case as
	 * {@link String#regionMatches(boolean, int, String, int, int)} does (Unicode-aware, allocation-free).
	 * @param prefix a rule prefix in canonical form
	 * @param path a path read by {@link #normalize(String)}
	 * @param ignoreCase whether {@code /PRIVATE} matches {@code /private}
	 * @return true when the rule applies to the path
	 */
	public static boolean matches(String prefix, String path, boolean ignoreCase) {
		if (prefix.length() == 1) {
			return true;
		}
		return path.regionMatches(ignoreCase, 0, prefix, 0, prefix.length())
				&& (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
	}

	/**
	 * The canonical form of a rule prefix: a path that {@link #normalize(String)} reads as written, without a
	 * trailing slash (except the root). The prefix is Unicode as an admin writes it ({@code /café}); it is read
	 * as a browser sends it ({@code /caf%C3%A9}), so it matches what browsers send.
	 * @param prefix a prefix as written in an app definition
	 * @return the canonical prefix, or empty when the prefix is not a clean absolute path (no query,
	 * fragment, escapes, parameters, empty or dot segments)
	 */
	public static Optional<String> canonicalPrefix(String prefix) {
		if (prefix == null || prefix.indexOf('?') >= 0 || prefix.indexOf('#') >= 0 || prefix.indexOf('%') >= 0) {
			return Optional.empty();
		}
		String raw = browserForm(prefix);
		Optional<String> normalized = (raw != null) ? normalize(raw) : Optional.empty();
		if (normalized.isEmpty()) {
			return Optional.empty();
		}
		String path = normalized.get();
		String canonical = (path.length() > 1 && path.endsWith("/")) ? path.substring(0, path.length() - 1) : path;
		String written = (prefix.length() > 1 && prefix.endsWith("/")) ? prefix.substring(0, prefix.length() - 1) : prefix;
		return canonical.equals(written) ? Optional.of(canonical) : Optional.empty();
	}

	/** A path as browsers send it: non-ASCII characters percent-encoded as UTF-8; null for an unpaired surrogate. */
	private static String browserForm(String unicode) {
		for (int i = 0; i < unicode.length(); i++) {
			if (unicode.charAt(i) >= 0x80) {
				ByteBuffer bytes;
				try {
					bytes = StandardCharsets.UTF_8.newEncoder()
						.onMalformedInput(CodingErrorAction.REPORT)
						.onUnmappableCharacter(CodingErrorAction.REPORT)
						.encode(CharBuffer.wrap(unicode));
				}
				catch (CharacterCodingException ex) {
					return null;
				}
				StringBuilder encoded = new StringBuilder(bytes.limit() * 3);
				while (bytes.hasRemaining()) {
					int b = bytes.get() & 0xff;
					if (b < 0x80) {
						encoded.append((char) b);
					}
					else {
						encoded.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
					}
				}
				return encoded.toString();
			}
		}
		return unicode;
	}

	/**
	 * Percent-decodes {@code raw[0, end)} (ASCII) as UTF-8; null when an escape, a character, the UTF-8 or a
	 * decoded character is refused.
	 */
	private static String decode(String raw, int end) {
		byte[] bytes = new byte[end];
		int length = 0;
		for (int i = 0; i < end; i++) {
			char c = raw.charAt(i);
			int b = c;
			if (c == '%') {
				int high = (i + 2 < end) ? hex(raw.charAt(i + 1)) : -1;
				int low = (i + 2 < end) ? hex(raw.charAt(i + 2)) : -1;
				if (high < 0 || low < 0) {
					return null;
				}
				b = (high << 4) | low;
				boolean doubleEncoded = b == '%' && i + 4 < end && hex(raw.charAt(i + 3)) >= 0
						&& hex(raw.charAt(i + 4)) >= 0;
				if (!mayBeEscaped(b) || doubleEncoded) {
					return null;
				}
				i += 2;
			}
			else if (c == ';' || c == '\\' || c <= 0x20 || c == 0x7f) {
				// a raw space cannot be in a request target: only a header written by hand (or a folded
				// line joined with a space) carries one, and apps would split or trim it differently
				return null;
			}
			bytes[length++] = (byte) b;
		}
		String decoded;
		try {
			decoded = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes, 0, length))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
		for (int i = 0; i < decoded.length(); i++) {
			char c = decoded.charAt(i);
			if (c >= 0x80 && c <= 0x9f) {
				return null;
			}
		}
		return decoded;
	}

	/**
	 * Whether a byte may arrive percent-encoded: not a control character, not a byte that changes the
	 * structure of the path once decoded, and not an unreserved character (which browsers never encode).
	 */
	private static boolean mayBeEscaped(int b) {
		boolean unreserved = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
				|| b == '-' || b == '.' || b == '_' || b == '~';
		return b >= 0x20 && b != 0x7f && b != '/' && b != '\\' && b != '?' && b != '#' && b != ';' && !unreserved;
	}

	private static int hex(char c) {
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		if (c >= 'A' && c <= 'F') {
			return c - 'A' + 10;
		}
		return -1;
	}

	/** Whether a decoded path has no empty segment (but a trailing slash) and no dot segment. */
	private static boolean segmentsAreClean(String path) {
		int start = 1;
		while (true) {
			int slash = path.indexOf('/', start);
			int stop = (slash < 0) ? path.length() : slash;
			int length = stop - start;
			boolean empty = length == 0 && slash >= 0;
			boolean dots = (length == 1 || length == 2) && path.charAt(start) == '.' && path.charAt(stop - 1) == '.';
			if (empty || dots) {
				return false;
			}
			if (slash < 0) {
				return true;
			}
			start = slash + 1;
		}
	}

}
