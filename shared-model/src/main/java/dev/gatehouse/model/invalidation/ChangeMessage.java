package dev.gatehouse.model.invalidation;

import java.util.Objects;

/**
 * A message on the invalidation channel. Its text form is one line:
 * {@code inv <seq> <kind> <key>} or {@code hb <seq> <epoch>}.
 */
public sealed interface ChangeMessage {

	/**
	 * The change-log sequence number the message speaks for.
	 * @return the seq
	 */
	long seq();

	/**
	 * Encodes the message for the channel.
	 * @return the text form
	 */
	String encode();

	/**
	 * Decodes a channel message.
	 * @param text the text form
	 * @return the message
	 * @throws IllegalArgumentException when the text is not a valid message
	 */
	static ChangeMessage decode(String text) {
		String[] fields = text.split(" ", 4);
		try {
			return switch (fields[0]) {
				case "inv" -> {
					if (fields.length != 4) {
						throw new IllegalArgumentException("an invalidation needs seq, kind and key");
					}
					yield new Invalidation(Long.parseLong(fields[1]), CacheKind.fromWireName(fields[2]), fields[3]);
				}
				case "hb" -> {
					if (fields.length != 3) {
						throw new IllegalArgumentException("a heartbeat carries a seq and an epoch");
					}
					yield new Heartbeat(Long.parseLong(fields[1]), fields[2]);
				}
				default -> throw new IllegalArgumentException("unknown message type '%s'".formatted(fields[0]));
			};
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("malformed seq in change message '%s'".formatted(text), ex);
		}
	}

	/**
	 * One committed change: the entry {@code kind/key} changed at {@code seq}.
	 *
	 * @param seq the change-log sequence number of the change
	 * @param kind the kind of entry
	 * @param key the entry's key
	 */
	record Invalidation(long seq, CacheKind kind, String key) implements ChangeMessage {

		public Invalidation {
			Objects.requireNonNull(kind, "kind");
			Objects.requireNonNull(key, "key");
			if (key.isEmpty() || key.indexOf('\n') >= 0) {
				throw new IllegalArgumentException("an invalidation key must be one non-empty line, not '%s'".formatted(key));
			}
		}

		@Override
		public String encode() {
			return "inv " + this.seq + " " + this.kind.wireName() + " " + this.key;
		}

	}

	/**
	 * The latest committed seq, published periodically so replicas notice lost messages, with the epoch
	 * of the Redis data set, so replicas notice when Redis lost its data (restart, failover).
	 *
	 * @param seq the latest committed seq
	 * @param epoch the value of the epoch key, changed whenever Redis starts empty
	 */
	record Heartbeat(long seq, String epoch) implements ChangeMessage {

		public Heartbeat {
			Objects.requireNonNull(epoch, "epoch");
			if (epoch.isEmpty() || epoch.indexOf(' ') >= 0 || epoch.indexOf('\n') >= 0) {
				throw new IllegalArgumentException("an epoch is one word, not '%s'".formatted(epoch));
			}
		}

		@Override
		public String encode() {
			return "hb " + this.seq + " " + this.epoch;
		}

	}

}
