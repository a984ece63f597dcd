package dev.gatehouse.model.signature;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of verifying a request's message signature: {@link Verified} or {@link Refused}, never an
 * exception.
 */
public sealed interface Verification {

	/**
	 * A signature that verified with the key registered for its {@code keyid} and satisfies the policy. The
	 * caller still has to accept its nonce once (the replay check needs state shared by the replicas).
	 *
	 * @param keyId the {@code keyid} the key was looked up by
	 * @param label the signature's label in {@code Signature-Input}
	 * @param nonce the {@code nonce} parameter, when present
	 * @param created the {@code created} parameter
	 * @param expires the {@code expires} parameter, when present
	 */
	record Verified(String keyId, String label, Optional<String> nonce, Instant created, Optional<Instant> expires)
			implements Verification {

		public Verified {
			Objects.requireNonNull(keyId, "keyId");
			Objects.requireNonNull(label, "label");
			Objects.requireNonNull(nonce, "nonce");
			Objects.requireNonNull(created, "created");
			Objects.requireNonNull(expires, "expires");
		}

	}

	/**
	 * A request without a signature that verifies and satisfies the policy.
	 *
	 * @param reason why, as a value to count and test by
	 * @param detail what was wrong, for a log line (it may quote the request, never a key)
	 */
	record Refused(RefusalReason reason, String detail) implements Verification {

		public Refused {
			Objects.requireNonNull(reason, "reason");
			Objects.requireNonNull(detail, "detail");
		}

	}

}
