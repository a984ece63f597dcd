package dev.gatehouse.admin.lifecycle;

/**
 * The container runtime refused an operation or could not be reached.
 */
public class AppRuntimeException extends RuntimeException {

	public AppRuntimeException(String message, Throwable cause) {
		super(message, cause);
	}

}
