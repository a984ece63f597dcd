package dev.gatehouse.model.app;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Who may use the paths of a rule.
 */
public enum Access {

	/** Anyone, paired or not. */
	PUBLIC,

	/** Only a paired terminal. */
	PRIVATE,

	/** Only a peer portal (verified by HTTP message signatures; not accepted yet). */
	PEER;

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
	 * @param wireName {@code public}, {@code private} or {@code peer}
	 * @return the access level
	 * @throws IllegalArgumentException for any other value
	 */
	@JsonCreator
	public static Access fromWireName(String wireName) {
		for (Access access : values()) {
			if (access.wireName().equals(wireName)) {
				return access;
			}
		}
		throw new IllegalArgumentException("access must be public, private or peer, not '%s'".formatted(wireName));
	}

}
