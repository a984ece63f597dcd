package dev.gatehouse.admin.config;

import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.springframework.stereotype.Component;

/**
 * Checks a request body's Bean Validation constraints and lists what it breaks, one sentence each, for the
 * one 422 problem ({@link Problems#invalid}) that also lists the rules a service checks itself (rules across
 * fields, path parameters, the app's path rules), so a client sees every violation at once.
 */
@Component
public class SpecViolations {

	/** No C0 or C1 control character (what {@link Character#isISOControl} finds). */
	public static final String NO_CONTROL_CHARACTERS = "[^\\x00-\\x1F\\x7F-\\x9F]*";

	private final Validator validator;

	public SpecViolations(Validator validator) {
		this.validator = validator;
	}

	/**
	 * @param spec a request body
	 * @return what it breaks, by property then message, each sentence once (two constraints of one field may
	 * share theirs)
	 */
	public List<String> of(Object spec) {
		return this.validator.validate(spec)
			.stream()
			.sorted(Comparator.comparing((ConstraintViolation<Object> violation) -> violation.getPropertyPath().toString())
				.thenComparing(ConstraintViolation::getMessage))
			.map(ConstraintViolation::getMessage)
			.distinct()
			.toList();
	}

}
