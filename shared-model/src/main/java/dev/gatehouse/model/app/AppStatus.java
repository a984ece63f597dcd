package dev.gatehouse.model.app;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where an app is in its lifecycle, as the admin last recorded it.
 */
public enum AppStatus {

	INSTALLING, STOPPED, RUNNING, PAUSED, UNINSTALLING, DOWN, ERROR;

	/**
	 * The name used in JSON and in the database.
	 * @return the lower-case name
	 */
	@JsonValue
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Parses a wire name.
	 * @param wireName a lower-case status name
	 * @return the status
	 * @throws IllegalArgumentException for an unknown name
	 */
	@JsonCreator
	public static AppStatus fromWireName(String wireName) {
		for (AppStatus status : values()) {
			if (status.wireName().equals(wireName)) {
				return status;
			}
		}
		throw new IllegalArgumentException("unknown app status '%s'".formatted(wireName));
	}

}
