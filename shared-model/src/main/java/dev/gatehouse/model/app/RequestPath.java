package dev.gatehouse.model.app;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Normalizes a raw request URI into the path an app behind the proxy routes on, so that rules match what
 * the app will serve: {@code /public/../private} is {@code /private}.
 * <p>
 * Query and fragment are dropped, percent-escapes decoded (UTF-8), repeated slashes folded and dot
 * segments resolved. Anything ambiguous is refused rather than guessed: an encoded slash or backslash,
 * a literal backslash, control characters, malformed escapes or UTF-8, {@code ..} above the root, and
 * dot segments carrying path parameters ({@code ..;x}, which some servers treat as {@code ..}).
 */
public final class RequestPath {

	private RequestPath() {
	}

	/**
	 * Normalizes a raw request URI.
	 * @param rawUri the URI as the client sent it, e.g. {@code X-Forwarded-Uri}
	 * @return the normalized path (always starting with {@code /}), or empty when the URI is ambiguous
	 * or malformed
	 */
	public static Optional<String> normalize(String rawUri) {
		if (rawUri == null || rawUri.isEmpty() || rawUri.charAt(0) != '/') {
			return Optional.empty();
		}
		int end = rawUri.length();
		for (int i = 0; i < rawUri.length(); i++) {
			char c = rawUri.charAt(i);
			if (c == '?' || c == '#') {
				end = i;
				break;
			}
		}
		if (alreadyNormal(rawUri, end)) {
			return Optional.of((end == rawUri.length()) ? rawUri : rawUri.substring(0, end));
		}
		String decoded = decode(rawUri, end);
		if (decoded == null) {
			return Optional.empty();
		}
		List<String> segments = new ArrayList<>();
		boolean trailingSlash = false;
		int start = 1;
		while (start <= decoded.length()) {
			int slash = decoded.indexOf('/', start);
			int stop = (slash < 0) ? decoded.length() : slash;
			String segment = decoded.substring(start, stop);
			String bare = segment.contains(";") ? segment.substring(0, segment.indexOf(';')) : segment;
			if (!bare.equals(segment) && (bare.equals(".") || bare.equals(".."))) {
				return Optional.empty();
			}
			boolean last = slash < 0;
			switch (segment) {
				case "", "." -> trailingSlash = last;
				case ".." -> {
					if (segments.isEmpty()) {
						return Optional.empty();
					}
					segments.remove(segments.size() - 1);
					trailingSlash = last;
				}
				default -> {
					segments.add(segment);
					trailingSlash = false;
				}
			}
			start = stop + 1;
		}
		if (segments.isEmpty()) {
			return Optional.of("/");
		}
		StringBuilder path = new StringBuilder(decoded.length());
		for (String segment : segments) {
			path.append('/').append(segment);
		}
		if (trailingSlash) {
			path.append('/');
		}
		return Optional.of(path.toString());
	}

	/**
	 * Whether a rule prefix matches a normalized path: on segment boundaries, so {@code /private} matches
	 * {@code /private} and {@code /private/x} but not {@code /privateer}; {@code /} matches every path.
	 * @param prefix a rule prefix in canonical form (see {@link #canonicalPrefix(String)})
	 * @param path a normalized path
	 * @return true when the rule applies to the path
	 */
	public static boolean matches(String prefix, String path) {
		if (prefix.length() == 1) {
			return true;
		}
		return path.startsWith(prefix)
				&& (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
	}

	/**
	 * The canonical form of a rule prefix: normalized, without a trailing slash (except the root).
	 * @param prefix a prefix as written in an app definition
	 * @return the canonical prefix, or empty when the prefix is not a clean absolute path (no query,
	 * fragment, escapes or dot segments)
	 */
	public static Optional<String> canonicalPrefix(String prefix) {
		if (prefix == null || prefix.indexOf('?') >= 0 || prefix.indexOf('#') >= 0 || prefix.indexOf('%') >= 0) {
			return Optional.empty();
		}
		Optional<String> normalized = normalize(prefix);
		if (normalized.isEmpty()) {
			return Optional.empty();
		}
		String path = normalized.get();
		String canonical = (path.length() > 1 && path.endsWith("/")) ? path.substring(0, path.length() - 1) : path;
		String written = (prefix.length() > 1 && prefix.endsWith("/")) ? prefix.substring(0, prefix.length() - 1) : prefix;
		return canonical.equals(written) ? Optional.of(canonical) : Optional.empty();
	}

	/**
	 * The common case, checked without allocating: no escapes, parameters, backslashes or control
	 * characters, no empty or dot segments.
	 */
	private static boolean alreadyNormal(String raw, int end) {
		char previous = 0;
		for (int i = 0; i < end; i++) {
			char c = raw.charAt(i);
			if (c == '%' || c == ';' || c == '\\' || c < 0x20 || c == 0x7f || (previous == '/' && (c == '/' || c == '.'))) {
				return false;
			}
			previous = c;
		}
		return true;
	}

	/** Percent-decodes {@code raw[0, end)}; null when an escape, a character or the UTF-8 is refused. */
	private static String decode(String raw, int end) {
		boolean escaped = false;
		for (int i = 0; i < end; i++) {
			char c = raw.charAt(i);
			if (c == '\\' || c < 0x20 || c == 0x7f) {
				return null;
			}
			escaped |= (c == '%');
		}
		if (!escaped) {
			return raw.substring(0, end);
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(end);
		for (int i = 0; i < end; i++) {
			char c = raw.charAt(i);
			if (c != '%') {
				byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
				bytes.write(encoded, 0, encoded.length);
				continue;
			}
			if (i + 2 >= end) {
				return null;
			}
			int high = Character.digit(raw.charAt(i + 1), 16);
			int low = Character.digit(raw.charAt(i + 2), 16);
			if (high < 0 || low < 0) {
				return null;
			}
			int b = (high << 4) | low;
			if (b == '/' || b == '\\' || b < 0x20 || b == 0x7f) {
				return null;
			}
			bytes.write(b);
			i += 2;
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes.toByteArray()))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

}
