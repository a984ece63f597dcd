package dev.gatehouse.model.terminal;

/**
 * What a terminal token may be used for, carried as its JWT {@code aud} claim. The two uses never mix:
 * every app on the platform receives the app-access token (it travels in the {@code authorization}
 * cookie of the whole app zone), so it must not administer anything.
 */
public enum TokenAudience {

	/** Access to private app paths, checked by the auth replicas. */
	APPS("gatehouse:apps"),

	/** The admin API, checked by the admin-service; never sent as a cookie to app subdomains. */
	ADMIN("gatehouse:admin");

	private final String claim;

	TokenAudience(String claim) {
		this.claim = claim;
	}

	/**
	 * The value of the {@code aud} claim.
	 * @return the audience claim
	 */
	public String claim() {
		return this.claim;
	}

}
