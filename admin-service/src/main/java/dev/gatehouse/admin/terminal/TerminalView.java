package dev.gatehouse.admin.terminal;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A paired terminal as the admin API shows it.
 *
 * @param id the terminal id
 * @param name the name given at pairing
 * @param createdAt when it was paired
 * @param lastConnection when it was last seen by the auth tier (debounced), or null
 */
record TerminalView(String id, String name, Instant createdAt,
		@Schema(types = { "string", "null" }, format = "date-time") Instant lastConnection) {
}
