package dev.gatehouse.admin.outbound;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.regex.Pattern;

import dev.gatehouse.model.app.AppName;
import dev.gatehouse.model.app.RequestPath;

/**
 * What a relay call addresses, read from its raw request target
 * {@code /internal/peers/{peer}/apps/{app}/{path}?{query}}: the peer, the app on the peer, and the path and
 * query to call there, raw (percent-escapes as sent). Read from the raw target rather than from Spring's
 * decoded path variables, so that what is checked is byte for byte what is sent on.
 *
 * @param peer the peer's id as registered, or its short id
 * @param app the app's name on the peer, a DNS label
 * @param path the raw path to call on the app, {@code /} at least
 * @param query the raw query without its {@code ?}, or {@code null} when there is none
 */
record RelayTarget(String peer, String app, String path, String query) {

	static final String PREFIX = "/internal/peers/";

	private static final String APPS = "/apps/";

	/** An identity id (lower-case base32) or a prefix of one, as peers are registered. */
	private static final Pattern PEER = Pattern.compile("[a-z2-7]{6,52}");

	/** A lower-case ASCII DNS name, as the peers API stores domains: nothing that could end the authority. */
	private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");

	RelayTarget {
		Objects.requireNonNull(peer, "peer");
		Objects.requireNonNull(app, "app");
		Objects.requireNonNull(path, "path");
	}

	/**
	 * Reads a relay call's target.
	 * @param rawPath the raw path as the client sent it (the servlet's request URI, without the context path)
	 * @param rawQuery the raw query, or {@code null}
	 * @return the target
	 * @throws IllegalArgumentException when the target names no peer and app, or its path is one an app could
	 * route differently than it reads: {@code ..} or {@code .} segments, {@code //}, {@code ;}, encoded
	 * separators and the rest {@link RequestPath#normalize} refuses
	 */
	static RelayTarget parse(String rawPath, String rawQuery) {
		if (!rawPath.startsWith(PREFIX)) {
			throw new IllegalArgumentException("the path must start with " + PREFIX);
		}
		int peerEnd = rawPath.indexOf('/', PREFIX.length());
		String peer = rawPath.substring(PREFIX.length(), (peerEnd < 0) ? rawPath.length() : peerEnd);
		if (!PEER.matcher(peer).matches()) {
			throw new IllegalArgumentException("'%s' is no peer id: 6 to 52 characters a-z, 2-7".formatted(peer));
		}
		if (peerEnd < 0 || !rawPath.startsWith(APPS, peerEnd)) {
			throw new IllegalArgumentException("the path must continue with /apps/{app} after the peer");
		}
		int appStart = peerEnd + APPS.length();
		int appEnd = rawPath.indexOf('/', appStart);
		String app = rawPath.substring(appStart, (appEnd < 0) ? rawPath.length() : appEnd);
		if (!AppName.isValid(app)) {
			throw new IllegalArgumentException("'%s' is no app name: a lower-case DNS label".formatted(app));
		}
		String path = (appEnd < 0) ? "/" : rawPath.substring(appEnd);
		if (RequestPath.normalize(path).isEmpty()) {
			throw new IllegalArgumentException(("the path '%s' is not in normalized form (dot segments, '//', ';', "
					+ "encoded separators and malformed escapes are refused)").formatted(path));
		}
		return new RelayTarget(peer, app, path, rawQuery);
	}

	/**
	 * The URI to call.
	 * @param appUrl the template, with {@code {app}} and {@code {domain}} and no trailing slash
	 * @param domain the peer's domain
	 * @return the app URL with this target's path and query appended
	 * @throws IllegalArgumentException when the result is no URI (a query with characters a URI cannot hold)
	 */
	URI uri(String appUrl, String domain) {
		if (!DOMAIN.matcher(domain).matches()) {
			throw new IllegalStateException("the peer's domain '%s' is no DNS name".formatted(domain));
		}
		String uri = appUrl.replace("{app}", this.app).replace("{domain}", domain) + this.path
				+ ((this.query != null) ? "?" + this.query : "");
		try {
			return new URI(uri);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("not a URI: " + ex.getMessage());
		}
	}

}
