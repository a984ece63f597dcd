package dev.gatehouse.auth.forwardauth;

import dev.gatehouse.model.signature.SignedRequest;
import io.netty.handler.codec.http.HttpHeaders;

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
	 * @param request the forwardAuth request's headers
	 * @return the signed request, or null when the request carries no signature
	 */
	static SignedRequest signed(HttpHeaders request) {
		String host = request.get("X-Forwarded-Host");
		String uri = request.get("X-Forwarded-Uri");
		if (!request.contains("Signature-Input") || host == null || uri == null) {
			return null;
		}
		String method = request.get("X-Forwarded-Method");
		String proto = request.get("X-Forwarded-Proto");
		return SignedRequest.of((method != null) ? method : "GET", (proto != null) ? proto : "https", host, uri,
				request::getAll);
	}

	/**
	 * Whether one of the forwarded headers appears more than once (the request is refused as ambiguous).
	 * @param request the forwardAuth request's headers
	 * @return true when a forwarded header is repeated
	 */
	static boolean repeated(HttpHeaders request) {
		for (String name : SINGLE) {
			if (request.getAll(name).size() > 1) {
				return true;
			}
		}
		return false;
	}

}
