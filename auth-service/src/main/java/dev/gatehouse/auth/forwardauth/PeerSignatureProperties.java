package dev.gatehouse.auth.forwardauth;

import java.time.Duration;
import java.util.List;

import dev.gatehouse.model.signature.VerificationPolicy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What a peer's signed request must satisfy.
 *
 * @param maxAge how old a signature's {@code created} may be; also how long a nonce is remembered
 * @param clockSkew how far a peer's clock may run ahead of ours
 * @param requiredComponents components every signature must cover; at least {@code @method},
 * {@code @authority} and {@code @target-uri}
 */
@ConfigurationProperties("gatehouse.auth.peers")
record PeerSignatureProperties(@DefaultValue("5m") Duration maxAge, @DefaultValue("30s") Duration clockSkew,
		@DefaultValue({ "@method", "@authority", "@target-uri" }) List<String> requiredComponents) {

	PeerSignatureProperties {
		if (maxAge.isNegative() || maxAge.isZero() || clockSkew.isNegative()) {
			throw new IllegalArgumentException(
					"gatehouse.auth.peers.max-age must be positive and clock-skew not negative, not %s and %s"
						.formatted(maxAge, clockSkew));
		}
		if (!requiredComponents.containsAll(VerificationPolicy.MINIMUM_COMPONENTS)) {
			throw new IllegalArgumentException("gatehouse.auth.peers.required-components must include %s, not %s"
				.formatted(VerificationPolicy.MINIMUM_COMPONENTS, requiredComponents));
		}
		requiredComponents = List.copyOf(requiredComponents);
	}

	VerificationPolicy policy() {
		return VerificationPolicy.of(this.maxAge, this.clockSkew).withRequiredComponents(this.requiredComponents);
	}

}
