package dev.gatehouse.model.signature;

/**
 * A refusal raised while building a signature base or checking a signature: stackless, because malformed
 * requests are expected input (an attacker can send many), and always caught inside this package, where it
 * becomes a {@link Verification.Refused} (verifying) or an {@link IllegalArgumentException} (signing).
 */
final class Refusal extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final RefusalReason reason;

	Refusal(RefusalReason reason, String detail) {
		super(detail, null, false, false);
		this.reason = reason;
	}

	RefusalReason reason() {
		return this.reason;
	}

	Verification.Refused toRefused() {
		return new Verification.Refused(this.reason, getMessage());
	}

}
