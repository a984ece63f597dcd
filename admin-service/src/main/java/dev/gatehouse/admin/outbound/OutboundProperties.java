package dev.gatehouse.admin.outbound;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The outbound relay: signed calls from apps inside the installation to peers' apps.
 *
 * @param token the bearer token apps send to the relay ({@code GATEHOUSE_ADMIN_OUTBOUND_TOKEN}); at least 16
 * characters, and not the admin token; unset disables the relay (every call answers 401)
 * @param appUrl where a peer serves an app: {@code {app}} is replaced by the app's name and {@code {domain}} by
 * the peer's domain; the called path and query are appended
 * @param connectTimeout the longest the relay waits for a connection to the peer
 * @param timeout the longest one call may take in all, from sending the request to the last byte of the answer
 * @param maxResponseSize the largest answer body the relay passes back
 */
@ConfigurationProperties("gatehouse.admin.outbound")
record OutboundProperties(String token, @DefaultValue("https://{app}.{domain}") String appUrl,
		@DefaultValue("3s") Duration connectTimeout, @DefaultValue("30s") Duration timeout,
		@DefaultValue("10MB") DataSize maxResponseSize) {

	static final int MIN_TOKEN_LENGTH = 16;

	OutboundProperties {
		if (token != null && token.isEmpty()) {
			token = null;
		}
		if (token != null && (token.isBlank() || token.length() < MIN_TOKEN_LENGTH)) {
			throw new IllegalArgumentException(("gatehouse.admin.outbound.token (GATEHOUSE_ADMIN_OUTBOUND_TOKEN) must be "
					+ "unset or a secret of at least %d characters").formatted(MIN_TOKEN_LENGTH));
		}
		if (!(appUrl.startsWith("https://") || appUrl.startsWith("http://")) || !appUrl.contains("{app}")
				|| !appUrl.contains("{domain}") || appUrl.indexOf('?') >= 0 || appUrl.indexOf('#') >= 0) {
			throw new IllegalArgumentException(
					"gatehouse.admin.outbound.app-url must be an http(s) URL with {app} and {domain} and no query, not '%s'"
						.formatted(appUrl));
		}
		if (appUrl.endsWith("/")) {
			appUrl = appUrl.substring(0, appUrl.length() - 1);
		}
		requirePositive("connect-timeout", connectTimeout);
		requirePositive("timeout", timeout);
		if (connectTimeout.compareTo(timeout) > 0) {
			throw new IllegalArgumentException("gatehouse.admin.outbound.connect-timeout (%s) must not exceed timeout (%s)"
				.formatted(connectTimeout, timeout));
		}
		if (maxResponseSize.toBytes() < 1) {
			throw new IllegalArgumentException("gatehouse.admin.outbound.max-response-size must be positive, not "
					+ maxResponseSize);
		}
	}

	/**
	 * Whether apps can call the relay at all.
	 * @return true when a token is set
	 */
	boolean enabled() {
		return this.token != null;
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("gatehouse.admin.outbound.%s must be positive, not %s".formatted(name, value));
		}
	}

	/** Never shows the token. */
	@Override
	public String toString() {
		return "OutboundProperties[token=" + (enabled() ? "<hidden>" : "<unset>") + ", appUrl=" + this.appUrl
				+ ", connectTimeout=" + this.connectTimeout + ", timeout=" + this.timeout + ", maxResponseSize="
				+ this.maxResponseSize + "]";
	}

}
