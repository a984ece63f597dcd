package dev.gatehouse.model.app;

import java.nio.charset.StandardCharsets;

/**
 * How the auth tier writes a header value that is not plain printable ASCII, so that every identity
 * header reaches the app whatever the names contain (a servlet container drops or mangles values outside
 * ISO-8859-1, and proxies may refuse bytes above 0x7E).
 * <p>
 * The encoding, in the style of RFC 8187's {@code ext-value}:
 * <ul>
 * <li>A value whose characters are all printable ASCII ({@code 0x20}–{@code 0x7E}) and which does not start
 * with {@code UTF-8''} (in any case) is sent unchanged.</li>
 * <li>Any other value is sent as {@code UTF-8''} followed by its UTF-8 bytes, where each byte that is an
 * RFC 8187 {@code attr-char} ({@code A-Z a-z 0-9 ! # $ & + - . ^ _ ` | ~}) stands as itself and every other
 * byte as {@code %XX} (two upper-case hexadecimal digits).</li>
 * </ul>
 * Decoding is therefore unambiguous: a value that starts with {@code UTF-8''} (any case) is percent-decoded
 * after the marker and read as UTF-8; any other value is the value itself. An encoded value contains only
 * attr-chars, {@code %} and the marker's {@code '}, so it never holds a space, a comma or a quote.
 * <p>
 * A character outside the Basic Multilingual Plane is a surrogate pair in Java: two {@code char}s, four UTF-8
 * bytes. So each {@code char} becomes at most three UTF-8 bytes and at most {@value #MAX_ENCODED_PER_CHAR}
 * encoded characters. (A lone surrogate cannot reach this class from storage: it does not survive the UTF-8
 * round trip through PostgreSQL; here it would encode as {@code ?}, as {@link String#getBytes} does.)
 */
public final class HeaderValueEncoding {

	/** The prefix that marks an encoded value. */
	public static final String MARKER = "UTF-8''";

	/** The most encoded characters one Java {@code char} can become: 3 UTF-8 bytes, each {@code %XX}. */
	public static final int MAX_ENCODED_PER_CHAR = 9;

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private HeaderValueEncoding() {
	}

	/**
	 * Encodes a header value when it needs it.
	 * @param value the value to send
	 * @return the value itself when it is printable ASCII and does not start with the marker (no allocation),
	 * else {@code UTF-8''} and the percent-encoded UTF-8 bytes
	 */
	public static String encode(String value) {
		if (!needsEncoding(value)) {
			return value;
		}
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		StringBuilder encoded = new StringBuilder(MARKER.length() + 3 * bytes.length).append(MARKER);
		for (byte b : bytes) {
			int unsigned = b & 0xff;
			if (isAttrChar(unsigned)) {
				encoded.append((char) unsigned);
			}
			else {
				encoded.append('%').append(HEX[unsigned >> 4]).append(HEX[unsigned & 0xf]);
			}
		}
		return encoded.toString();
	}

	/**
	 * The length of a value's encoded form, as if it needed encoding.
	 * @param value any string
	 * @return the marker's length plus one character per attr-char byte and three per other UTF-8 byte
	 */
	static int encodedLength(String value) {
		int length = MARKER.length();
		for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
			length += isAttrChar(b & 0xff) ? 1 : 3;
		}
		return length;
	}

	/**
	 * Whether a value is sent encoded.
	 * @param value a header value
	 * @return true when it has a character outside {@code 0x20}–{@code 0x7E} or starts with the marker
	 */
	public static boolean needsEncoding(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c > 0x7e) {
				return true;
			}
		}
		return value.regionMatches(true, 0, MARKER, 0, MARKER.length());
	}

	/**
	 * Whether a character stands for itself in an encoded value.
	 * @param c a character (or a byte, 0–255)
	 * @return true for an RFC 8187 {@code attr-char}
	 */
	public static boolean isAttrChar(int c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0;
	}

}
