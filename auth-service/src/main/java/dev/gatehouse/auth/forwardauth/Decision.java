package dev.gatehouse.auth.forwardauth;

import java.util.List;

/**
 * The answer to a forwardAuth request.
 */
sealed interface Decision {

	/**
	 * Let the request through with these headers (Traefik copies them into the request to the app).
	 *
	 * @param headers name and value pairs, identity headers first
	 */
	record Allow(List<HeaderValue> headers) implements Decision {
	}

	/**
	 * Refuse the request.
	 *
	 * @param reason why, which also gives the status
	 */
	record Deny(Reason reason) implements Decision {
	}

	/**
	 * A response header.
	 *
	 * @param name header name
	 * @param value header value
	 */
	record HeaderValue(String name, String value) {
	}

	/**
	 * Why a request is refused.
	 */
	enum Reason {

		/** Missing or malformed host, or an ambiguous path. */
		BAD_REQUEST(400),

		/** A private or peer path without the credential it needs. */
		UNAUTHENTICATED(401),

		/** No path rule of the app matches (fail closed). */
		NO_RULE(403),

		/** No such app. */
		UNKNOWN_APP(404),

		/** A cold entry could not be loaded in time. */
		UNAVAILABLE(503);

		private final int status;

		Reason(int status) {
			this.status = status;
		}

		int status() {
			return this.status;
		}

	}

}
