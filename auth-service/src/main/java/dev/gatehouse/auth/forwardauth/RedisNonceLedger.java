package dev.gatehouse.auth.forwardauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

import dev.gatehouse.auth.config.AuthProperties;
import dev.gatehouse.model.invalidation.RedisKeys;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.PlainOptions;
import org.redisson.client.codec.StringCodec;

import org.springframework.stereotype.Component;

/**
 * The nonce ledger in Redis, shared by every replica: a {@code SET NX PX} per nonce. The only Redis
 * call a warm peer request makes, and only when the signature carries a nonce. When Redis cannot answer,
 * the nonce counts as seen: a replay is never admitted for want of a check.
 */
@Component
class RedisNonceLedger implements NonceLedger {

	/** Longer nonces are refused: they are meant to be random tokens, not payloads. */
	private static final int MAX_NONCE_LENGTH = 256;

	private static final CompletableFuture<Boolean> REFUSED = CompletableFuture.completedFuture(false);

	private final RedissonClient redis;

	private final RedisKeys keys;

	private final Duration window;

	private final Duration timeout;

	RedisNonceLedger(RedissonClient redis, RedisKeys keys, PeerSignatureProperties peers, AuthProperties properties) {
		this.redis = redis;
		this.keys = keys;
		// a signature is refused once it is older than max-age (plus skew): its nonce need not outlive that
		this.window = peers.maxAge().plus(peers.clockSkew()).plus(peers.clockSkew());
		this.timeout = properties.l2Timeout();
	}

	@Override
	public CompletableFuture<Boolean> firstUse(String keyId, String nonce) {
		if (nonce.isEmpty() || nonce.length() > MAX_NONCE_LENGTH) {
			return REFUSED;
		}
		try {
			return this.redis.<String>getBucket(PlainOptions.name(this.keys.key("nonce:" + keyId + ":" + digest(nonce)))
				.codec(StringCodec.INSTANCE)
				.timeout(this.timeout)
				.retryAttempts(0))
				.setIfAbsentAsync("1", this.window)
				.toCompletableFuture()
				.exceptionally(ex -> false);
		}
		catch (RuntimeException ex) {
			return REFUSED;
		}
	}

	private static String digest(String nonce) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(nonce.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JVM has SHA-256", ex);
		}
	}

}
