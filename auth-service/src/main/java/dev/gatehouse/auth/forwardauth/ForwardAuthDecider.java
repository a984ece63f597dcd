package dev.gatehouse.auth.forwardauth;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.gatehouse.auth.activity.ActivityRecorder;
import dev.gatehouse.auth.cache.SourceUnavailableException;
import dev.gatehouse.auth.cache.TieredCache;
import dev.gatehouse.auth.forwardauth.Decision.Allow;
import dev.gatehouse.auth.forwardauth.Decision.Deny;
import dev.gatehouse.auth.forwardauth.Decision.HeaderValue;
import dev.gatehouse.auth.forwardauth.Decision.Reason;
import dev.gatehouse.model.app.App;
import dev.gatehouse.model.app.HeaderName;
import dev.gatehouse.model.app.HeaderValueEncoding;
import dev.gatehouse.model.app.RequestPath;
import dev.gatehouse.model.app.TemplateVariable;
import dev.gatehouse.model.identity.PortalIdentity;
import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.peer.Peer;
import dev.gatehouse.model.signature.SignatureVerifier;
import dev.gatehouse.model.signature.SignedRequest;
import dev.gatehouse.model.signature.Verification;
import dev.gatehouse.model.terminal.TokenKey;
import dev.gatehouse.model.terminal.Terminal;

import org.springframework.stereotype.Component;

/**
 * The forwardAuth decision (DESIGN §3). Reads only caches: with warm entries it does no I/O at all.
 */
@Component
class ForwardAuthDecider {

	private static final Deny BAD_REQUEST = new Deny(Reason.BAD_REQUEST);

	private static final Deny UNAUTHENTICATED = new Deny(Reason.UNAUTHENTICATED);

	private static final Deny NO_RULE = new Deny(Reason.NO_RULE);

	private static final Deny UNKNOWN_APP = new Deny(Reason.UNKNOWN_APP);

	private static final Deny UNAVAILABLE = new Deny(Reason.UNAVAILABLE);

	private final TieredCache<App, CompiledApp> apps;

	private final TieredCache<Terminal, Terminal> terminals;

	private final TieredCache<PortalIdentity, PortalIdentity> identity;

	private final TieredCache<TokenKey, TokenVerifier> tokenKey;

	private final TieredCache<Peer, KnownPeer> peers;

	private final SignatureVerifier signatures;

	private final NonceLedger nonces;

	private final ActivityRecorder activity;

	private final Clock clock;

	ForwardAuthDecider(TieredCache<App, CompiledApp> apps, TieredCache<Terminal, Terminal> terminals,
			TieredCache<PortalIdentity, PortalIdentity> identity, TieredCache<TokenKey, TokenVerifier> tokenKey,
			TieredCache<Peer, KnownPeer> peers, SignatureVerifier signatures, NonceLedger nonces, ActivityRecorder activity,
			Clock clock) {
		this.apps = apps;
		this.terminals = terminals;
		this.identity = identity;
		this.tokenKey = tokenKey;
		this.peers = peers;
		this.signatures = signatures;
		this.nonces = nonces;
		this.activity = activity;
		this.clock = clock;
	}

	/**
	 * Decides a forwardAuth request.
	 * @param host the {@code X-Forwarded-Host} header
	 * @param uri the {@code X-Forwarded-Uri} header
	 * @param token the terminal token from the {@code authorization} cookie, or null
	 * @param signed the request as a peer signed it, when it carries a signature; else null
	 * @param lookups how this request reads the caches
	 * @return the decision
	 * @throws Lookups.Pending when an entry it needs is still loading: run it again once it has loaded
	 */
	Decision decide(String host, String uri, String token, SignedRequest signed, Lookups lookups) {
		String appName = ForwardedHost.appName(host);
		if (appName == null) {
			return BAD_REQUEST;
		}
		Optional<String> path = RequestPath.normalize(uri);
		if (path.isEmpty()) {
			return BAD_REQUEST;
		}
		try {
			Optional<CompiledApp> app = lookups.get(this.apps, appName);
			if (app.isEmpty()) {
				return UNKNOWN_APP;
			}
			CompiledApp.Rule rule = app.get().ruleFor(path.get());
			if (rule == null) {
				return NO_RULE;
			}
			// read before the activity is recorded: a run that stops at a cold entry has had no effect
			PortalIdentity portal = lookups.get(this.identity, CacheKind.DEFAULT_IDENTITY_KEY).orElse(null);
			Client client = client(token, signed, lookups);
			boolean allowed = switch (rule.access()) {
				case PUBLIC -> true;
				case PRIVATE -> client instanceof Client.PairedTerminal;
				case PEER -> client instanceof Client.VerifiedPeer;
			};
			if (!allowed) {
				return UNAUTHENTICATED;
			}
			this.activity.record(appName, (client instanceof Client.PairedTerminal paired) ? paired.id() : null);
			return new Allow(headers(client, portal, rule));
		}
		catch (SourceUnavailableException ex) {
			return UNAVAILABLE;
		}
	}

	/**
	 * Who is asking, in the original platform's order: a valid terminal token wins; else a valid peer
	 * signature; else anonymous. A bad signature is no error, only no credential.
	 * @param token the token from the cookie, or null
	 * @param signed the signed request, or null
	 * @param lookups how this request reads the caches
	 * @return the client
	 * @throws SourceUnavailableException when a cold entry cannot be loaded
	 * @throws Lookups.Pending when an entry it needs is still loading
	 */
	Client client(String token, SignedRequest signed, Lookups lookups) {
		Client terminal = client(token, lookups);
		return (terminal != Client.ANONYMOUS || signed == null) ? terminal : peer(signed, lookups);
	}

	private Client peer(SignedRequest signed, Lookups lookups) {
		Verification verification = this.signatures.verify(signed, null,
				keyId -> lookups.get(this.peers, keyId).flatMap(KnownPeer::verificationKey), this.clock.instant());
		if (!(verification instanceof Verification.Verified verified)) {
			return Client.ANONYMOUS;
		}
		Optional<KnownPeer> known = lookups.get(this.peers, verified.keyId());
		if (known.isEmpty() || !verified.nonce()
			.map(nonce -> lookups.await(this.nonces, verified.keyId() + ' ' + nonce,
					() -> this.nonces.firstUse(verified.keyId(), nonce)))
			.orElse(true)) {
			return Client.ANONYMOUS;
		}
		return new Client.VerifiedPeer(known.get().peer());
	}

	/**
	 * Authenticates a terminal token alone.
	 * @param token the token from the cookie, or null
	 * @param lookups how this request reads the caches
	 * @return the paired terminal, or anonymous
	 * @throws SourceUnavailableException when a cold entry cannot be loaded
	 * @throws Lookups.Pending when an entry it needs is still loading
	 */
	Client client(String token, Lookups lookups) {
		if (token == null) {
			return Client.ANONYMOUS;
		}
		Optional<TokenVerifier> verifier = lookups.get(this.tokenKey, TokenKey.TERMINAL_TOKENS);
		if (verifier.isEmpty()) {
			return Client.ANONYMOUS;
		}
		Optional<String> terminalId = verifier.get().terminalId(token, this.clock.instant());
		if (terminalId.isEmpty()) {
			return Client.ANONYMOUS;
		}
		return lookups.get(this.terminals, terminalId.get()).<Client>map(Client.PairedTerminal::new).orElse(Client.ANONYMOUS);
	}

	/**
	 * Adds the identity headers of a client; always all three, empty for anonymous clients. Values that
	 * could hold any text go through {@link HeaderValueEncoding}: a name in any script arrives.
	 * @param headers where to add them
	 * @param client the client
	 * @return the same list
	 */
	static List<HeaderValue> addClientHeaders(List<HeaderValue> headers, Client client) {
		// type and id are ASCII by construction (a constant, a UUID, an identity id); the name is free text
		headers.add(new HeaderValue(HeaderName.CLIENT_TYPE, client.type()));
		headers.add(new HeaderValue(HeaderName.CLIENT_ID, client.id()));
		headers.add(new HeaderValue(HeaderName.CLIENT_NAME, headerValue(client.name())));
		return headers;
	}

	private static List<HeaderValue> headers(Client client, PortalIdentity portal, CompiledApp.Rule rule) {
		List<HeaderValue> headers = addClientHeaders(new ArrayList<>(4 + rule.headers().size()), client);
		headers.add(new HeaderValue(HeaderName.PORTAL_ID, (portal != null) ? portal.id() : ""));
		if (!rule.headers().isEmpty()) {
			Function<TemplateVariable, String> values = variable -> value(variable, client, portal);
			for (CompiledApp.Header header : rule.headers()) {
				// the whole rendered value is encoded once (not each variable), so the app decodes one value
				headers.add(new HeaderValue(header.name(), headerValue(header.template().render(values))));
			}
		}
		return headers;
	}

	/**
	 * A header value as sent: spaces at either end trimmed (they are not part of a field value, RFC 9110
	 * §5.5, and Netty refuses to send them), then {@link HeaderValueEncoding encoded}. In that order: a
	 * value trimmed after encoding could start with the encoding's marker and be decoded by the app as
	 * something it never was (control characters, say).
	 */
	static String headerValue(String value) {
		int start = 0;
		int end = value.length();
		while (start < end && value.charAt(start) == ' ') {
			start++;
		}
		while (end > start && value.charAt(end - 1) == ' ') {
			end--;
		}
		return HeaderValueEncoding.encode((start == 0 && end == value.length()) ? value : value.substring(start, end));
	}

	private static String value(TemplateVariable variable, Client client, PortalIdentity portal) {
		return switch (variable) {
			case AUTH_CLIENT_TYPE -> client.type();
			case AUTH_CLIENT_ID -> client.id();
			case AUTH_CLIENT_NAME -> client.name();
			case PORTAL_ID -> (portal != null) ? portal.id() : "";
			case PORTAL_SHORT_ID -> (portal != null) ? portal.shortId() : "";
			case PORTAL_DOMAIN -> (portal != null) ? portal.domain() : "";
			case PORTAL_PUBLIC_KEY_PEM -> (portal != null) ? portal.publicKeyPem() : "";
			case PORTAL_NAME -> (portal != null) ? portal.name() : "";
			case PORTAL_EMAIL -> (portal != null) ? portal.email() : "";
		};
	}

}
