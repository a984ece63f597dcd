package dev.gatehouse.auth.cache;

/**
 * A cold entry could not be loaded in time: PostgreSQL is down or slow. The request is answered 503,
 * never guessed.
 */
public class SourceUnavailableException extends RuntimeException {

	public SourceUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
