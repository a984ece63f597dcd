package dev.gatehouse.auth.listener;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the replica's HTTP listener.
 *
 * @param port the TCP port; 0 picks a free one (tests). Defaults to {@code server.port}, as for any
 * Spring Boot service (see {@code gatehouse-auth.yaml})
 * @param address the address to bind, or empty for every interface
 * @param eventLoops event-loop threads; 0 for one per core
 * @param idleTimeout an idle keep-alive connection is closed after this long, checked once per the smaller
 * of the two timeouts (120 to 130 s by default); above Traefik's 90 s, so the proxy, not the replica,
 * ends idle connections (a request racing the replica's close would fail)
 * @param maxRequestLine the longest request line (method, target, version); longer gets 414
 * @param maxHeaderSize the largest header section (Traefik forwards the client's cookies); larger gets 431
 * @param headTimeout from the first byte of a request, how long its head (and any body) may take to
 * arrive before the connection is closed
 * @param maxConnections connections open at once; more are closed as they come (Traefik needs a few dozen;
 * each may hold a partial head of up to {@code max-header-size})
 * @param drainTimeout how long a stopping replica waits for requests in flight before it closes their
 * connections
 */
@ConfigurationProperties("gatehouse.auth.http")
public record HttpListenerProperties(@DefaultValue("8080") int port, String address, @DefaultValue("0") int eventLoops,
		@DefaultValue("120s") Duration idleTimeout, @DefaultValue("8KB") DataSize maxRequestLine,
		@DefaultValue("16KB") DataSize maxHeaderSize, @DefaultValue("10s") Duration headTimeout,
		@DefaultValue("1024") int maxConnections, @DefaultValue("10s") Duration drainTimeout) {

	public HttpListenerProperties {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("gatehouse.auth.http.port must be 0 to 65535, not " + port);
		}
		if (eventLoops < 0) {
			throw new IllegalArgumentException("gatehouse.auth.http.event-loops must not be negative, not " + eventLoops);
		}
		if (idleTimeout.isNegative() || idleTimeout.isZero()) {
			throw new IllegalArgumentException("gatehouse.auth.http.idle-timeout must be positive, not " + idleTimeout);
		}
		if (headTimeout.isNegative() || headTimeout.isZero()) {
			throw new IllegalArgumentException("gatehouse.auth.http.head-timeout must be positive, not " + headTimeout);
		}
		if (maxConnections < 1) {
			throw new IllegalArgumentException("gatehouse.auth.http.max-connections must be at least 1, not " + maxConnections);
		}
		if (drainTimeout.isNegative()) {
			throw new IllegalArgumentException("gatehouse.auth.http.drain-timeout must not be negative, not " + drainTimeout);
		}
		if (maxRequestLine.toBytes() < 256 || maxHeaderSize.toBytes() < 1024) {
			throw new IllegalArgumentException("gatehouse.auth.http.max-request-line must be at least 256 bytes and "
					+ "max-header-size at least 1KB, not %s and %s".formatted(maxRequestLine, maxHeaderSize));
		}
	}

}
