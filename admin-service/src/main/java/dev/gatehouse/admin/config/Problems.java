package dev.gatehouse.admin.config;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The admin API's error responses, as RFC 9457 problem details.
 */
public final class Problems {

	private Problems() {
	}

	public static ErrorResponseException notFound(String detail) {
		return of(HttpStatus.NOT_FOUND, detail);
	}

	public static ErrorResponseException badRequest(String detail) {
		return of(HttpStatus.BAD_REQUEST, detail);
	}

	public static ErrorResponseException conflict(String detail) {
		return of(HttpStatus.CONFLICT, detail);
	}

	public static ErrorResponseException unavailable(String detail) {
		return of(HttpStatus.SERVICE_UNAVAILABLE, detail);
	}

	public static ErrorResponseException unauthorized(String detail) {
		return of(HttpStatus.UNAUTHORIZED, detail);
	}

	/**
	 * A request that is well-formed JSON but breaks the rules.
	 * @param errors every rule it breaks, one sentence each
	 * @return a 422 problem listing them
	 */
	public static ErrorResponseException invalid(List<String> errors) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, String.join("; ", errors));
		problem.setProperty("errors", errors);
		return new ErrorResponseException(HttpStatus.UNPROCESSABLE_CONTENT, problem, null);
	}

	private static ErrorResponseException of(HttpStatus status, String detail) {
		return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
	}

}
