package dev.gatehouse.auth.forwardauth;

import dev.gatehouse.model.signature.SignedRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * What a decision reads from the headers of a forwardAuth request, read in one pass over them (every
 * request pays for this, so it looks each name up once rather than once per question).
 * <p>
 * Each {@code X-Forwarded-*} header must appear at most once: with two {@code X-Forwarded-Uri} headers,
 * Gatehouse would decide on one and the proxy or the app might use the other.
 */
final class ForwardedHeaders {

	static final AsciiString HOST = AsciiString.cached("X-Forwarded-Host");

	static final AsciiString URI = AsciiString.cached("X-Forwarded-Uri");

	private static final AsciiString METHOD = AsciiString.cached("X-Forwarded-Method");

	private static final AsciiString PROTO = AsciiString.cached("X-Forwarded-Proto");

	private static final AsciiString SIGNATURE_INPUT = AsciiString.cached("Signature-Input");

	private final HttpHeaders headers;

	private String host;

	private String uri;

	private String method;

	private String proto;

	private String token;

	private boolean signatureInput;

	private boolean repeated;

	private ForwardedHeaders(HttpHeaders headers) {
		this.headers = headers;
	}

	/**
	 * Reads a forwardAuth request's headers.
	 * @param headers the request's headers
	 * @return what a decision needs of them
	 */
	static ForwardedHeaders read(HttpHeaders headers) {
		ForwardedHeaders read = new ForwardedHeaders(headers);
		var entries = headers.iteratorCharSequence();
		while (entries.hasNext()) {
			var entry = entries.next();
			read.add(entry.getKey(), entry.getValue());
		}
		return read;
	}

	private void add(CharSequence name, CharSequence value) {
		if (is(name, HttpHeaderNames.COOKIE)) {
			if (this.token == null) {
				this.token = TerminalCookie.token(value.toString());
			}
		}
		else if (is(name, HOST)) {
			this.host = once(this.host, value);
		}
		else if (is(name, URI)) {
			this.uri = once(this.uri, value);
		}
		else if (is(name, METHOD)) {
			this.method = once(this.method, value);
		}
		else if (is(name, PROTO)) {
			this.proto = once(this.proto, value);
		}
		else if (is(name, SIGNATURE_INPUT)) {
			this.signatureInput = true;
		}
	}

	private String once(String seen, CharSequence value) {
		this.repeated |= seen != null;
		return value.toString();
	}

	private static boolean is(CharSequence name, AsciiString wanted) {
		return name.length() == wanted.length() && wanted.contentEqualsIgnoreCase(name);
	}

	/**
	 * @return whether an {@code X-Forwarded-*} header appears more than once (the request is refused as
	 * ambiguous)
	 */
	boolean repeated() {
		return this.repeated;
	}

	/** @return the {@code X-Forwarded-Host} header, or null */
	String host() {
		return this.host;
	}

	/** @return the {@code X-Forwarded-Uri} header, or null */
	String uri() {
		return this.uri;
	}

	/**
	 * @return the terminal token of the first {@code authorization} cookie that has one, in any
	 * {@code Cookie} header, or null
	 */
	String token() {
		return this.token;
	}

	/**
	 * The request a peer signed, rebuilt from what Traefik forwards: {@code X-Forwarded-Method},
	 * {@code -Proto}, {@code -Host} and {@code -Uri}, and the client's own header fields (the
	 * {@code Signature} and {@code Signature-Input} among them).
	 * @return the signed request, or null when the request carries no signature
	 */
	SignedRequest signed() {
		if (!this.signatureInput || this.host == null || this.uri == null) {
			return null;
		}
		return SignedRequest.of((this.method != null) ? this.method : "GET", (this.proto != null) ? this.proto : "https",
				this.host, this.uri, this.headers::getAll);
	}

}
