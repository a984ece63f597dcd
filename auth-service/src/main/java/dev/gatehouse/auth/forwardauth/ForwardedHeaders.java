package dev.gatehouse.auth.forwardauth;

import java.util.Collections;
import java.util.Enumeration;

import jakarta.servlet.http.HttpServletRequest;

import dev.gatehouse.model.signature.SignedRequest;

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
	 * The request a peer signed, rebuilt from what Traefik forwards: {@code X-Forwarded-Method},
	 * {@code -Proto}, {@code -Host} and {@code -Uri}, and the client's own header fields (the
	 * {@code Signature} and {@code Signature-Input} among them).
	 * @param request the forwardAuth request
	 * @return the signed request, or null when the request carries no signature
	 */
	static SignedRequest signed(HttpServletRequest request) {
		String host = request.getHeader("X-Forwarded-Host");
		String uri = request.getHeader("X-Forwarded-Uri");
		if (request.getHeader("Signature-Input") == null || host == null || uri == null) {
			return null;
		}
		String method = request.getHeader("X-Forwarded-Method");
		String proto = request.getHeader("X-Forwarded-Proto");
		return SignedRequest.of((method != null) ? method : "GET", (proto != null) ? proto : "https", host, uri,
				name -> Collections.list(request.getHeaders(name)));
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
