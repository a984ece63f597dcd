package dev.gatehouse.model.signature;

/**
 * Why a signature was refused. The names follow the error codes of the language-neutral conformance vectors
 * the tests use ({@code kanywst/wimsey}), where one exists.
 */
public enum RefusalReason {

	/** The request has no {@code Signature-Input} or no {@code Signature} field. */
	MISSING_SIGNATURE,

	/** {@code Signature-Input} or {@code Signature} is not a valid dictionary, is too long, or has too many or duplicate labels. */
	PARSE_ERROR,

	/** The expected label is absent, or a label is in one field but not in the other. */
	LABEL_MISMATCH,

	/** A signature parameter has the wrong type, or a covered component is not a string. */
	MALFORMED_PARAMETERS,

	/** The signature is not a byte sequence, or has the wrong length for the key. */
	MALFORMED_SIGNATURE,

	/** A component the policy requires is not covered. */
	MISSING_REQUIRED_COMPONENT,

	/** There is no {@code created} parameter (the policy always requires one). */
	MISSING_CREATED,

	/** {@code created} is later than now plus the allowed clock skew. */
	CREATED_IN_FUTURE,

	/** {@code created} is older than the policy's maximum age. */
	TOO_OLD,

	/** {@code expires} has passed (beyond the allowed clock skew). */
	EXPIRED,

	/** {@code expires} precedes {@code created}. */
	INVALID_TIME_WINDOW,

	/** The {@code alg} parameter names an algorithm Gatehouse does not support. */
	UNSUPPORTED_ALG,

	/** The {@code alg} parameter names another algorithm than the key's. */
	ALG_MISMATCH,

	/** There is no {@code keyid}, or no key is registered for it. */
	UNKNOWN_KEY,

	/** A covered component is listed twice. */
	DUPLICATE_COMPONENT,

	/** A covered component, or one of its parameters, is unknown or not supported for a request. */
	UNSUPPORTED_COMPONENT,

	/** A covered field, query parameter or dictionary member is absent from the request. */
	MISSING_COMPONENT,

	/** A covered component's value cannot be signed: not ASCII, a newline, or not of its structured type. */
	INVALID_COMPONENT_VALUE,

	/** The signature does not verify against the key. */
	INVALID_SIGNATURE

}
