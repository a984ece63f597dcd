package dev.gatehouse.admin.config;

import java.util.List;

/**
 * Why the admin refuses or cannot do what it was asked: what the services throw ({@link Problems} makes
 * them). They know nothing of HTTP; {@link ApiExceptionHandler} turns each kind into its status, in one
 * place.
 */
public final class AdminFailure extends RuntimeException {

	/** What went wrong, from the caller's side. */
	public enum Kind {

		/** What the request names does not exist. */
		NOT_FOUND,

		/** The request cannot be read as one (a malformed parameter). */
		BAD_REQUEST,

		/** The request conflicts with the stored state. */
		CONFLICT,

		/** The request is well-formed but breaks rules: {@link #errors()} lists every one. */
		INVALID,

		/** The credential the operation needs is missing or wrong. */
		UNAUTHORIZED,

		/** Something the operation needs is down; retrying later may work. */
		UNAVAILABLE

	}

	private final Kind kind;

	private final List<String> errors;

	AdminFailure(Kind kind, String detail, List<String> errors) {
		super(detail, null, false, false);
		this.kind = kind;
		this.errors = List.copyOf(errors);
	}

	public Kind kind() {
		return this.kind;
	}

	/** @return every rule an {@link Kind#INVALID} request breaks, one sentence each; empty for other kinds */
	public List<String> errors() {
		return this.errors;
	}

}
