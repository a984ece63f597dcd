package dev.gatehouse.model.invalidation;

import java.util.Objects;

/**
 * A message on the invalidation channel. Its text form is one line: {@code inv <seq> <kind> <key>},
 * {@code rm <seq> <kind> <key>} or {@code hb <seq> <epoch>}.
 * <p>
 * Compatibility rule: every message about one entry has the shape {@code <type> <seq> <kind> <key>}, the
 * key running to the end of the line, and a reader decodes such a message of a type it does not know as an
 * {@link Invalidation} of that entry. Whatever a newer admin says about an entry, dropping it from L1 is
 * safe, so a new type of that shape never leaves an older replica with a stale entry; a replica that
 * cannot decode a message at all clears its L1. Releases before {@code rm} existed ignore unknown messages
 * (they learn the change from the next heartbeat), so until no such replica runs the admin sends every
 * {@link Removal} after an {@link Invalidation} of the same change.
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
	 * Decodes a channel message. A message about one entry whose type is unknown decodes as an
	 * {@link Invalidation} (see the compatibility rule above).
	 * @param text the text form
	 * @return the message
	 * @throws IllegalArgumentException when the text is not a valid message
	 */
	static ChangeMessage decode(String text) {
		String[] fields = text.split(" ", 4);
		try {
			if (fields[0].equals("hb")) {
				if (fields.length != 3) {
					throw new IllegalArgumentException("a heartbeat carries a seq and an epoch");
				}
				return new Heartbeat(Long.parseLong(fields[1]), fields[2]);
			}
			if (fields.length != 4) {
				throw new IllegalArgumentException("'%s' is neither a heartbeat nor a change with seq, kind and key"
					.formatted(fields[0]));
			}
			long seq = Long.parseLong(fields[1]);
			CacheKind kind = CacheKind.fromWireName(fields[2]);
			return fields[0].equals("rm") ? new Removal(seq, kind, fields[3]) : new Invalidation(seq, kind, fields[3]);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("malformed seq in change message '%s'".formatted(text), ex);
		}
	}

	/**
	 * A committed change to one entry, as the admin announces it after the commit.
	 */
	sealed interface Change extends ChangeMessage {

		/**
		 * The kind of entry that changed.
		 * @return the kind
		 */
		CacheKind kind();

		/**
		 * The key of the entry that changed.
		 * @return the key
		 */
		String key();

	}

	/**
	 * The entry {@code kind/key} changed at {@code seq}: replicas drop it and load it again when asked.
	 *
	 * @param seq the change-log sequence number of the change
	 * @param kind the kind of entry
	 * @param key the entry's key
	 */
	record Invalidation(long seq, CacheKind kind, String key) implements Change {

		public Invalidation {
			requireEntry(kind, key);
		}

		@Override
		public String encode() {
			return "inv " + this.seq + " " + this.kind.wireName() + " " + this.key;
		}

	}

	/**
	 * The entry {@code kind/key} was deleted at {@code seq} (a terminal revoked, an app deleted, a peer
	 * removed): it is absent as of {@code seq}, so replicas install the negative entry instead of loading
	 * it. Exactly what a replica would read itself: seqs follow commit order, so every snapshot at
	 * {@code seq} or later sees the entry gone until a later change, with a larger seq, creates it again.
	 *
	 * @param seq the change-log sequence number of the deletion
	 * @param kind the kind of entry
	 * @param key the entry's key
	 */
	record Removal(long seq, CacheKind kind, String key) implements Change {

		public Removal {
			requireEntry(kind, key);
		}

		@Override
		public String encode() {
			return "rm " + this.seq + " " + this.kind.wireName() + " " + this.key;
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

	private static void requireEntry(CacheKind kind, String key) {
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(key, "key");
		if (key.isEmpty() || key.indexOf('\n') >= 0) {
			throw new IllegalArgumentException("a change's key must be one non-empty line, not '%s'".formatted(key));
		}
	}

}
