package dev.gatehouse.model.signature;

import java.util.Locale;
import java.util.Objects;

/**
 * The request a signature covers, as the signer addressed it: what the derived components of RFC 9421 §2.2
 * are read from. The auth tier builds it from {@code X-Forwarded-Method}, {@code X-Forwarded-Proto},
 * {@code X-Forwarded-Host} and {@code X-Forwarded-Uri}.
 * <p>
 * The scheme and authority are normalized as RFC 9110 §4.2.3 says (and so as {@code @authority} and
 * {@code @target-uri} need them): lower-case, without the scheme's default port. The path and query stay raw
 * (percent-escapes are not decoded); an empty path is {@code /}. Nothing is refused here: a value that cannot
 * be signed (a non-ASCII host, say) makes the signature base fail, and so the signature.
 *
 * @param method the method, case-sensitive ({@code GET})
 * @param scheme the scheme ({@code https})
 * @param authority the host and optional port ({@code app.example.org}, {@code [::1]:8443})
 * @param path the raw absolute path, without the query
 * @param query the raw query without its {@code ?}, or {@code null} when the target has none (an empty query,
 * {@code /p?}, is {@code ""})
 * @param fields the header fields
 */
public record SignedRequest(String method, String scheme, String authority, String path, String query,
		HeaderFields fields) {

	public SignedRequest {
		Objects.requireNonNull(method, "method");
		Objects.requireNonNull(scheme, "scheme");
		Objects.requireNonNull(authority, "authority");
		Objects.requireNonNull(path, "path");
		Objects.requireNonNull(fields, "fields");
		scheme = scheme.toLowerCase(Locale.ROOT);
		authority = normalizeAuthority(scheme, authority);
		if (path.isEmpty()) {
			path = "/";
		}
	}

	/**
	 * A request from its origin-form request target.
	 * @param method the method
	 * @param scheme the scheme
	 * @param authority the host and optional port
	 * @param requestTarget the raw path and query, e.g. {@code X-Forwarded-Uri}
	 * @param fields the header fields
	 * @return the request
	 */
	public static SignedRequest of(String method, String scheme, String authority, String requestTarget,
			HeaderFields fields) {
		int question = requestTarget.indexOf('?');
		return (question < 0) ? new SignedRequest(method, scheme, authority, requestTarget, null, fields)
				: new SignedRequest(method, scheme, authority, requestTarget.substring(0, question),
						requestTarget.substring(question + 1), fields);
	}

	/**
	 * A request from its absolute target URI ({@code https://peer.example.org/path?query}), as a signer of an
	 * outbound call knows it.
	 * @param method the method
	 * @param targetUri the absolute URI, without user info or fragment
	 * @param fields the header fields
	 * @return the request
	 * @throws IllegalArgumentException when the URI is not absolute
	 */
	public static SignedRequest of(String method, String targetUri, HeaderFields fields) {
		int schemeEnd = targetUri.indexOf("://");
		if (schemeEnd <= 0) {
			throw new IllegalArgumentException("not an absolute URI: " + targetUri);
		}
		int authorityEnd = schemeEnd + 3;
		while (authorityEnd < targetUri.length() && targetUri.charAt(authorityEnd) != '/'
				&& targetUri.charAt(authorityEnd) != '?') {
			authorityEnd++;
		}
		String authority = targetUri.substring(schemeEnd + 3, authorityEnd);
		if (authority.isEmpty() || authority.indexOf('@') >= 0 || targetUri.indexOf('#') >= 0) {
			throw new IllegalArgumentException("not an absolute URI without user info and fragment: " + targetUri);
		}
		return of(method, targetUri.substring(0, schemeEnd), authority, targetUri.substring(authorityEnd), fields);
	}

	/**
	 * The target URI, as {@code @target-uri} covers it.
	 * @return the scheme, authority, path and query
	 */
	public String targetUri() {
		return this.scheme + "://" + this.authority + requestTarget();
	}

	/**
	 * The origin-form request target, as {@code @request-target} covers it.
	 * @return the path and query
	 */
	public String requestTarget() {
		return (this.query != null) ? this.path + "?" + this.query : this.path;
	}

	private static String normalizeAuthority(String scheme, String authority) {
		String lower = authority.toLowerCase(Locale.ROOT);
		String defaultPort = switch (scheme) {
			case "https" -> ":443";
			case "http" -> ":80";
			default -> null;
		};
		if (defaultPort != null && lower.endsWith(defaultPort) && lower.length() > defaultPort.length()) {
			return lower.substring(0, lower.length() - defaultPort.length());
		}
		return lower;
	}

}
