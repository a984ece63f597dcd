package dev.gatehouse.admin.config;

import java.util.List;

/**
 * The admin's failures ({@link AdminFailure}), by kind; {@link ApiExceptionHandler} answers each with its
 * RFC 9457 problem detail.
 */
public final class Problems {

	private Problems() {
	}

	public static AdminFailure notFound(String detail) {
		return new AdminFailure(AdminFailure.Kind.NOT_FOUND, detail, List.of());
	}

	public static AdminFailure badRequest(String detail) {
		return new AdminFailure(AdminFailure.Kind.BAD_REQUEST, detail, List.of());
	}

	public static AdminFailure conflict(String detail) {
		return new AdminFailure(AdminFailure.Kind.CONFLICT, detail, List.of());
	}

	public static AdminFailure unavailable(String detail) {
		return new AdminFailure(AdminFailure.Kind.UNAVAILABLE, detail, List.of());
	}

	public static AdminFailure unauthorized(String detail) {
		return new AdminFailure(AdminFailure.Kind.UNAUTHORIZED, detail, List.of());
	}

	/**
	 * A request that is well-formed JSON but breaks the rules.
	 * @param errors every rule it breaks, one sentence each
	 * @return the failure, answered as a 422 problem listing them
	 */
	public static AdminFailure invalid(List<String> errors) {
		return new AdminFailure(AdminFailure.Kind.INVALID, String.join("; ", errors), errors);
	}

}
