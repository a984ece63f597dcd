package dev.gatehouse.model.signature;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a verified signature must satisfy besides its cryptography. A required component is satisfied by a
 * covered component of that name that covers the whole value (with or without {@code ;sf} or {@code ;bs},
 * not a single {@code ;key} member). {@code created} is always required.
 *
 * @param requiredComponents the component names every accepted signature covers, e.g. {@code @method}
 * @param maxAge how old {@code created} may be
 * @param clockSkew how far a signer's clock may be ahead ({@code created} in the future) or behind
 * ({@code expires} in the past) of ours
 */
public record VerificationPolicy(List<String> requiredComponents, Duration maxAge, Duration clockSkew) {

	/** The components a peer request must cover at least (issue 11): the method and the whole target. */
	public static final List<String> MINIMUM_COMPONENTS = List.of("@method", "@authority", "@target-uri");

	public VerificationPolicy {
		requiredComponents = List.copyOf(requiredComponents);
		for (String name : requiredComponents) {
			if (name.isEmpty() || name.equals("@signature-params") || name.equals("@query-param")
					|| !SignatureBase.isComponentName(name)) {
				throw new IllegalArgumentException("not a component name a policy can require: " + name);
			}
		}
		Objects.requireNonNull(maxAge, "maxAge");
		Objects.requireNonNull(clockSkew, "clockSkew");
		if (maxAge.isNegative() || maxAge.isZero()) {
			throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
		}
		if (clockSkew.isNegative()) {
			throw new IllegalArgumentException("clockSkew must not be negative, was " + clockSkew);
		}
	}

	/**
	 * A policy requiring the {@link #MINIMUM_COMPONENTS}.
	 * @param maxAge how old {@code created} may be
	 * @param clockSkew how far a signer's clock may be off
	 * @return the policy
	 */
	public static VerificationPolicy of(Duration maxAge, Duration clockSkew) {
		return new VerificationPolicy(MINIMUM_COMPONENTS, maxAge, clockSkew);
	}

	/**
	 * A copy requiring other components.
	 * @param components the component names
	 * @return the policy
	 */
	public VerificationPolicy withRequiredComponents(List<String> components) {
		return new VerificationPolicy(components, this.maxAge, this.clockSkew);
	}

}
