package dev.gatehouse.auth.forwardauth;

import dev.gatehouse.auth.cache.SourceReader;
import dev.gatehouse.auth.cache.TieredCache;
import dev.gatehouse.auth.cache.TieredCacheFactory;
import dev.gatehouse.model.app.App;
import dev.gatehouse.model.identity.PortalIdentity;
import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.peer.Peer;
import dev.gatehouse.model.signature.SignatureVerifier;
import dev.gatehouse.model.terminal.TokenKey;
import dev.gatehouse.model.terminal.Terminal;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The caches the decision reads: apps, terminals, the default identity, and (never through Redis) the
 * token key and peers' keys.
 */
@Configuration(proxyBeanMethods = false)
class ForwardAuthConfiguration {

	@Bean
	TieredCache<App, CompiledApp> appCache(TieredCacheFactory caches, SourceReader source) {
		return caches.create(CacheKind.APP, App.class, source::app, CompiledApp::compile);
	}

	@Bean
	TieredCache<Terminal, Terminal> terminalCache(TieredCacheFactory caches, SourceReader source) {
		return caches.create(CacheKind.TERMINAL, Terminal.class, source::terminal, terminal -> terminal);
	}

	@Bean
	TieredCache<PortalIdentity, PortalIdentity> identityCache(TieredCacheFactory caches, SourceReader source) {
		return caches.create(CacheKind.IDENTITY, PortalIdentity.class, key -> source.defaultIdentity(),
				identity -> identity);
	}

	@Bean
	TieredCache<TokenKey, TokenVerifier> tokenKeyCache(TieredCacheFactory caches, SourceReader source) {
		return caches.createWithoutL2(CacheKind.SIGNING_KEY, TokenKey.class, source::tokenKey, TokenVerifier::new);
	}

	@Bean
	TieredCache<Peer, KnownPeer> peerCache(TieredCacheFactory caches, SourceReader source) {
		return caches.createWithoutL2(CacheKind.PEER, Peer.class, source::peer, KnownPeer::compile);
	}

	@Bean
	SignatureVerifier signatureVerifier(PeerSignatureProperties properties) {
		return new SignatureVerifier(properties.policy());
	}

}
