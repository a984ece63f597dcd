package dev.gatehouse.auth.activity;

import java.util.Map;

/**
 * Where the {@link ActivityRecorder} sends each coalesced batch: in a replica, the Redis stream the admin
 * consumes ({@link ActivityConfiguration}). The recorder holds no connection itself, so the request path
 * that feeds it can be built without Redis (the decision benchmark does).
 */
@FunctionalInterface
public interface ActivityStream {

	/**
	 * Appends one event; called off the request thread.
	 * @param event the event's fields
	 * @throws RuntimeException when the event could not be appended: the recorder drops the batch and counts it
	 */
	void add(Map<String, String> event);

}
