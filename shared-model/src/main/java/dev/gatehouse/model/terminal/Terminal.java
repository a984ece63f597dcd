package dev.gatehouse.model.terminal;

import java.util.Objects;

/**
 * A paired device as the auth tier needs it.
 *
 * @param id the terminal id (the {@code sub} of its token)
 * @param name the name given at pairing
 */
public record Terminal(String id, String name) {

	public Terminal {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(name, "name");
	}

}
