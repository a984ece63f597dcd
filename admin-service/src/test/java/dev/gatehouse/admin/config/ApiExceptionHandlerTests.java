package dev.gatehouse.admin.config;

import java.lang.reflect.Method;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.method.annotation.ExceptionHandlerMethodResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status each database failure gets, resolved the way Spring MVC resolves it (the closest
 * {@code @ExceptionHandler} type wins).
 */
class ApiExceptionHandlerTests {

	private static final String SQL = "insert into identity (description) values ('secret value')";

	private final ApiExceptionHandler handler = new ApiExceptionHandler();

	private final ExceptionHandlerMethodResolver resolver = new ExceptionHandlerMethodResolver(ApiExceptionHandler.class);

	@Test
	void unreachableOrBusyDatabaseIsUnavailable() {
		assertThat(handle(new CannotGetJdbcConnectionException("no connection", new SQLException(SQL))).getStatus())
			.isEqualTo(503);
		assertThat(handle(new QueryTimeoutException(SQL)).getStatus()).isEqualTo(503);
		assertThat(handle(new TransientDataAccessResourceException(SQL)).getStatus()).isEqualTo(503);
		assertThat(handle(new RecoverableDataAccessException(SQL)).getStatus()).isEqualTo(503);
		assertThat(handle(new CannotCreateTransactionException("could not open a connection")).getStatus()).isEqualTo(503);
	}

	@Test
	void integrityViolationIsAConflictWithoutTheSql() {
		ProblemDetail problem = handle(new DataIntegrityViolationException(SQL, new SQLException("23514 " + SQL)));
		assertThat(problem.getStatus()).isEqualTo(409);
		assertThat(problem.getDetail()).doesNotContain("insert", "secret");
		assertThat(handle(new DuplicateKeyException(SQL)).getStatus()).isEqualTo(409);
	}

	@Test
	void anyOtherDatabaseErrorIsAnInternalErrorWithoutTheSql() {
		ProblemDetail problem = handle(new BadSqlGrammarException("update", SQL, new SQLException("syntax error")));
		assertThat(problem.getStatus()).isEqualTo(500);
		assertThat(problem.getDetail()).startsWith("Internal error").doesNotContain("insert", "secret", "syntax");
		assertThat(handle(new UncategorizedSQLException("insert", SQL, new SQLException("22021 invalid byte 0x00")))
			.getStatus()).isEqualTo(500);
	}

	private ProblemDetail handle(Exception ex) {
		Method method = this.resolver.resolveMethod(ex);
		assertThat(method).as("handler for %s", ex.getClass().getSimpleName()).isNotNull();
		try {
			return (ProblemDetail) method.invoke(this.handler, ex);
		}
		catch (ReflectiveOperationException failure) {
			throw new IllegalStateException(failure);
		}
	}

}
