package dev.gatehouse.auth.forwardauth;

import java.util.Enumeration;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The {@code X-Forwarded-*} headers a decision reads. Each must appear at most once: with two
 * {@code X-Forwarded-Uri} headers, Gatehouse would decide on one and the proxy or the app might use the other.
 */
final class ForwardedHeaders {

	private static final String[] SINGLE = { "X-Forwarded-Uri", "X-Forwarded-Host", "X-Forwarded-Method",
			"X-Forwarded-Proto" };

	private ForwardedHeaders() {
	}

	/**
	 * Whether one of the forwarded headers appears more than once (the request is refused as ambiguous).
	 * @param request the forwardAuth request
	 * @return true when a forwarded header is repeated
	 */
	static boolean repeated(HttpServletRequest request) {
		for (String name : SINGLE) {
			Enumeration<String> values = request.getHeaders(name);
			if (values != null && values.hasMoreElements()) {
				values.nextElement();
				if (values.hasMoreElements()) {
					return true;
				}
			}
		}
		return false;
	}

}
