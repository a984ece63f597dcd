package dev.gatehouse.admin.config;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Writes a problem detail from a servlet filter, where no controller advice reaches.
 */
public final class ProblemResponses {

	private ProblemResponses() {
	}

	/**
	 * Answers a request with a problem.
	 * @param json the application's mapper
	 * @param response the response, not yet committed
	 * @param status the status
	 * @param detail what was wrong
	 * @throws IOException when the response cannot be written
	 */
	public static void write(JsonMapper json, HttpServletResponse response, HttpStatus status, String detail)
			throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		json.writeValue(response.getOutputStream(), ProblemDetail.forStatusAndDetail(status, detail));
	}

}
