/**
 * The outbound relay: apps inside the installation call peers' apps through the admin, which signs each call
 * (RFC 9421) with the default identity's key and streams the answer back, reaching registered peers only.
 * <p>
 * {@code GET|HEAD|POST|PUT|PATCH|DELETE /internal/peers/{peer}/apps/{app}/{path}?{query}} with
 * {@code Authorization: Bearer <relay token>} ({@code gatehouse.admin.outbound.token}) calls
 * {@code gatehouse.admin.outbound.app-url} ({@code https://{app}.{domain}} by default, {@code {domain}} the
 * peer's domain) with the raw path and query appended. {@code {peer}} is the peer's id as registered or its
 * short id, {@code {app}} a DNS label. The relay token is checked by its own filter chain (see the access
 * package): it opens nothing else, the admin token does not open the relay, and without a configured token
 * every call answers 401. The admin is not routed through the public proxy, so only the installation's own
 * network reaches the relay.
 * <p>
 * What goes out: the method, the body (at most 256 KiB, as every admin request), {@code Content-Type},
 * {@code Accept} and {@code Accept-Language}, never cookies or credentials, plus {@code Signature-Input} and
 * {@code Signature} (label {@code sig1}, {@code keyid} the default identity's short id, {@code alg="ed25519"},
 * {@code created} now, {@code expires} 60 s later, a random {@code nonce}) covering {@code @method},
 * {@code @authority}, {@code @target-uri} and, with a body, {@code content-digest} (RFC 9530, SHA-256), sent
 * as {@code Content-Digest}. What comes back: the peer's status, {@code Content-Type},
 * {@code Content-Length}, {@code Content-Encoding}, {@code Content-Language}, {@code Location},
 * {@code Cache-Control}, {@code ETag}, {@code Last-Modified}, {@code Retry-After} and the body, streamed.
 * Redirects come back as they are, never followed.
 * <p>
 * Refusals, as problem details: 400 for a path an app could route differently (dot segments, {@code //},
 * {@code ;}, encoded separators: {@code dev.gatehouse.model.app.RequestPath}), a bad peer id or app name;
 * 401 without the relay token; 404 for a peer that is not registered; 503 without an identity to sign with;
 * 502 when the peer is unreachable or announces a body larger than
 * {@code gatehouse.admin.outbound.max-response-size}; 504 when it accepts no connection within
 * {@code connect-timeout} or does not answer within {@code timeout}. Once the answer streams, its status has
 * been sent: a body that grows past the limit or is still streaming at the deadline is cut off by dropping
 * the app's connection, so the app sees a broken answer rather than a short one.
 */
package dev.gatehouse.admin.outbound;
