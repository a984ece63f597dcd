package dev.gatehouse.model.invalidation;

/**
 * The kinds of cached entries; each has its own key space in L1 and L2.
 */
public enum CacheKind {

	/** An app by name; absent entries are negative-cached. */
	APP("app"),

	/** A terminal by id; absent means revoked or never paired. */
	TERMINAL("terminal"),

	/** The default identity, under the single key {@link #DEFAULT_IDENTITY_KEY}. */
	IDENTITY("identity"),

	/** The public key that verifies terminal tokens, under {@code TokenKey.TERMINAL_TOKENS}. */
	SIGNING_KEY("signing-key"),

	/** A peer by short id (the {@code keyid} of its signatures); absent means removed or never added. */
	PEER("peer");

	/** The key of the one {@link #IDENTITY} entry. */
	public static final String DEFAULT_IDENTITY_KEY = "default";

	private final String wireName;

	CacheKind(String wireName) {
		this.wireName = wireName;
	}

	/**
	 * The name used in Redis keys, messages and the change log.
	 * @return the wire name
	 */
	public String wireName() {
		return this.wireName;
	}

	/**
	 * Parses a wire name.
	 * @param wireName the name
	 * @return the kind
	 * @throws IllegalArgumentException for an unknown name
	 */
	public static CacheKind fromWireName(String wireName) {
		for (CacheKind kind : values()) {
			if (kind.wireName.equals(wireName)) {
				return kind;
			}
		}
		throw new IllegalArgumentException("unknown cache kind '%s'".formatted(wireName));
	}

}
