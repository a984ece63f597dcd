package dev.gatehouse.auth.cache;

/**
 * A value read from PostgreSQL together with the change-log seq of the snapshot it was read in.
 *
 * @param <T> the value type
 * @param seq the latest seq visible to the read
 * @param value the value, or null when the key did not exist
 */
public record Versioned<T>(long seq, T value) {
}
