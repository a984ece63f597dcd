package dev.gatehouse.model.app;

import dev.gatehouse.model.identity.PortalIdentity;

/**
 * The values a header template may use, each with the longest value it can have.
 * <p>
 * The bounds let the admin refuse, when an app is written, a rule whose headers could outgrow the
 * response header budget once rendered (see {@link HeaderTemplate#maxRenderedLength()}). Lengths count
 * Java {@code char}s, as {@link String#length()} and the admin's validation do.
 */
public enum TemplateVariable {

	/** {@code terminal} or {@code anonymous}. */
	AUTH_CLIENT_TYPE("auth.client_type", 9, Alphabet.ATTR_CHARS),

	/** A terminal id: a UUID in its 36-character text form; empty when anonymous. */
	AUTH_CLIENT_ID("auth.client_id", 36, Alphabet.ATTR_CHARS),

	/** A terminal's name: free text, at most 100 characters (the admin's pairing validation). */
	AUTH_CLIENT_NAME("auth.client_name", TemplateVariable.CLIENT_NAME_LENGTH, Alphabet.TEXT),

	/** The identity id: unpadded lower-case base32 of a SHA-256 hash, 52 characters. */
	PORTAL_ID("portal.id", 52, Alphabet.ATTR_CHARS),

	/** The first {@value PortalIdentity#SHORT_ID_LENGTH} characters of the identity id. */
	PORTAL_SHORT_ID("portal.short_id", PortalIdentity.SHORT_ID_LENGTH, Alphabet.ATTR_CHARS),

	/** The identity's domain: a DNS name in ASCII (letters, digits, '-' and '.'), at most 253 characters. */
	PORTAL_DOMAIN("portal.domain", 253, Alphabet.ATTR_CHARS),

	/**
	 * An Ed25519 public key as PEM, 113 characters: the BEGIN line (27 with its line break), the 44-byte
	 * SubjectPublicKeyInfo as one line of 60 base64 characters (61) and the END line (25).
	 */
	PORTAL_PUBLIC_KEY_PEM("portal.public_key_pem", 113, Alphabet.ASCII),

	/** The identity's display name: free text, at most 200 characters. */
	PORTAL_NAME("portal.name", TemplateVariable.PORTAL_NAME_LENGTH, Alphabet.TEXT),

	/** The identity's e-mail address: at most 254 characters (RFC 5321's path limit), may be internationalized. */
	PORTAL_EMAIL("portal.email", TemplateVariable.PORTAL_EMAIL_LENGTH, Alphabet.TEXT);

	/** The longest name of a terminal or peer: constants, so validation annotations can name them too. */
	public static final int CLIENT_NAME_LENGTH = 100;

	/** The longest name of a portal identity. */
	public static final int PORTAL_NAME_LENGTH = 200;

	/** The longest e-mail address of a portal identity (RFC 5321's path limit, less the brackets). */
	public static final int PORTAL_EMAIL_LENGTH = 254;

	private final String expression;

	private final int maxLength;

	private final Alphabet alphabet;

	TemplateVariable(String expression, int maxLength, Alphabet alphabet) {
		this.expression = expression;
		this.maxLength = maxLength;
		this.alphabet = alphabet;
	}

	/**
	 * The name written between the braces, e.g. {@code auth.client_name}.
	 * @return the expression
	 */
	public String expression() {
		return this.expression;
	}

	/**
	 * The longest value this variable can have; whoever writes the value (the admin's validation, the key
	 * generator) must keep to it.
	 * @return the bound, in Java {@code char}s
	 */
	public int maxLength() {
		return this.maxLength;
	}

	/**
	 * The longest this variable's value can become inside a header value that {@link HeaderValueEncoding}
	 * encodes: its length when it only holds attr-chars, three times that for other ASCII, and
	 * {@value HeaderValueEncoding#MAX_ENCODED_PER_CHAR} times for free text.
	 * @return the bound, in characters (bytes: an encoded value is ASCII)
	 */
	public int maxEncodedLength() {
		return this.maxLength * this.alphabet.maxEncodedPerChar;
	}

	static TemplateVariable fromExpression(String expression) {
		for (TemplateVariable variable : values()) {
			if (variable.expression.equals(expression)) {
				return variable;
			}
		}
		return null;
	}

	/** What characters a variable's values hold, which says how much encoding can grow them. */
	private enum Alphabet {

		/** Only RFC 8187 attr-chars: encoding keeps them as they are. */
		ATTR_CHARS(1),

		/** ASCII (control characters become spaces in a template): each may become {@code %XX}. */
		ASCII(3),

		/** Any text. */
		TEXT(HeaderValueEncoding.MAX_ENCODED_PER_CHAR);

		private final int maxEncodedPerChar;

		Alphabet(int maxEncodedPerChar) {
			this.maxEncodedPerChar = maxEncodedPerChar;
		}

	}

}
