package dev.gatehouse.admin.terminal;

import java.time.Instant;

/**
 * A paired terminal as the admin API shows it.
 *
 * @param id the terminal id
 * @param name the name given at pairing
 * @param createdAt when it was paired
 * @param lastConnection when it was last seen by the auth tier (debounced), or null
 */
record TerminalView(String id, String name, Instant createdAt, Instant lastConnection) {
}
