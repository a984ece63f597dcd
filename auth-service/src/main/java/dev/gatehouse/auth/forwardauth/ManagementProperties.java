package dev.gatehouse.auth.forwardauth;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may call {@code /internal/authenticate_management}.
 *
 * @param secret the value the {@code Authorization} header must equal ({@code GATEHOUSE_MANAGEMENT_SECRET});
 * unset or empty, every call is refused
 */
@ConfigurationProperties("gatehouse.management")
record ManagementProperties(String secret) {

	ManagementProperties {
		if (secret == null) {
			secret = "";
		}
	}

	/** Never shows the secret. */
	@Override
	public String toString() {
		return "ManagementProperties[secret=" + (this.secret.isEmpty() ? "<unset>" : "<hidden>") + "]";
	}

}
