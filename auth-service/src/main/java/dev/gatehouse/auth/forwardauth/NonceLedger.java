package dev.gatehouse.auth.forwardauth;

import java.util.concurrent.CompletableFuture;

/**
 * Accepts a signature's nonce once per window, across every replica ({@link RedisNonceLedger}). The
 * decision depends on this alone, so it can be built without Redis (the tests' and the decision
 * benchmark's {@code InMemoryDecisions}).
 */
interface NonceLedger {

	/**
	 * Records a nonce, without waiting for the ledger's store.
	 * @param keyId the signer
	 * @param nonce the signature's nonce
	 * @return completes with true the first time within the window, false for a replay (or when the store
	 * cannot tell); never fails
	 */
	CompletableFuture<Boolean> firstUse(String keyId, String nonce);

}
