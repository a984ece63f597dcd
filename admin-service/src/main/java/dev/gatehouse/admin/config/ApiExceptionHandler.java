package dev.gatehouse.admin.config;

import org.redisson.client.RedisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error of the admin API into a problem detail.
 * <p>
 * Database errors are told apart by what the client can do about them: retry (the database is unreachable
 * or busy: 503), change the request (it conflicts with stored data: 409), or nothing (a bug: 500). No
 * response carries an exception message: they hold SQL and the values it was given.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	/** The services' failures: the one place that knows the status of each kind. */
	@ExceptionHandler(AdminFailure.class)
	ResponseEntity<ProblemDetail> adminFailure(AdminFailure failure) {
		HttpStatus status = switch (failure.kind()) {
			case NOT_FOUND -> HttpStatus.NOT_FOUND;
			case BAD_REQUEST -> HttpStatus.BAD_REQUEST;
			case CONFLICT -> HttpStatus.CONFLICT;
			case INVALID -> HttpStatus.UNPROCESSABLE_CONTENT;
			case UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
			case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
		};
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, failure.getMessage());
		if (failure.kind() == AdminFailure.Kind.INVALID) {
			problem.setProperty("errors", failure.errors());
		}
		return ResponseEntity.status(status).body(problem);
	}

	@ExceptionHandler(RedisException.class)
	ProblemDetail redisUnavailable(RedisException ex) {
		logger.warn("Redis error on an admin request: {}", ex.getMessage());
		return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"Redis is unavailable and this operation needs it. Retry later.");
	}

	/**
	 * The database cannot be reached or did not answer in time: no connection
	 * ({@code CannotGetJdbcConnectionException} and other resource failures), none to begin a transaction
	 * with, a timeout, a lock or serialization conflict ({@code TransientDataAccessException} and its
	 * subclasses), or a broken connection ({@code RecoverableDataAccessException}).
	 */
	@ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessException.class,
			RecoverableDataAccessException.class, CannotCreateTransactionException.class })
	ProblemDetail databaseUnavailable(RuntimeException ex) {
		logger.warn("Database unavailable on an admin request: {}", ex.toString());
		return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The database is unavailable; nothing was changed. Retry later.");
	}

	@ExceptionHandler(DataIntegrityViolationException.class)
	ProblemDetail conflict(DataIntegrityViolationException ex) {
		logger.warn("Database refused an admin change: {}", ex.getMostSpecificCause().toString());
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"The change conflicts with data already stored; nothing was changed.");
	}

	/** Any other database error is a bug of ours (bad SQL, an unexpected result), not something to retry. */
	@ExceptionHandler(DataAccessException.class)
	ProblemDetail databaseError(DataAccessException ex) {
		logger.error("Database error on an admin request", ex);
		return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"Internal error; nothing was changed.");
	}

}
