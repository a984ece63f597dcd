package dev.gatehouse.admin.lifecycle;

import dev.gatehouse.model.app.AppStatus;

/**
 * Where apps run. The Docker implementation finds an app's containers by the label
 * {@code gatehouse.app=<name>}; tests use an in-memory one.
 */
public interface AppRuntime {

	/**
	 * The real state of an app's containers.
	 * @param app the app name
	 * @return {@code RUNNING}, {@code PAUSED}, {@code STOPPED}, {@code DOWN} (no containers) or
	 * {@code ERROR}
	 * @throws AppRuntimeException when the runtime cannot be asked
	 */
	AppStatus status(String app);

	/**
	 * Starts (or unpauses) every container of an app.
	 * @param app the app name
	 * @throws AppRuntimeException when the runtime refuses or cannot be reached
	 */
	void start(String app);

	/**
	 * Stops every running container of an app.
	 * @param app the app name
	 * @throws AppRuntimeException when the runtime refuses or cannot be reached
	 */
	void stop(String app);

	/**
	 * Pauses every running container of an app.
	 * @param app the app name
	 */
	void pause(String app);

	/**
	 * Unpauses every paused container of an app.
	 * @param app the app name
	 */
	void unpause(String app);

}
