package dev.gatehouse.admin.terminal;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;

import dev.gatehouse.admin.changelog.ChangeLog;
import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.terminal.TerminalTokens;
import dev.gatehouse.model.terminal.TokenAudience;
import dev.gatehouse.model.terminal.TokenKey;
import dev.gatehouse.model.terminal.TokenSigner;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Component;

/**
 * The key pair that signs terminal tokens: generated once, on the admin's first start, and kept in
 * PostgreSQL. The replicas read only its public half (their database role cannot see the private one).
 * It is created by an {@link ApplicationRunner} (after the context is up, before the admin reports
 * ready) so that its creation is published like any other change.
 */
@Component
class TokenKeyStore implements ApplicationRunner {

	private final TerminalRepository repository;

	private final ChangeLog changeLog;

	private final TransactionTemplate transactions;

	private volatile Keys keys;

	TokenKeyStore(TerminalRepository repository, ChangeLog changeLog, TransactionTemplate transactions) {
		this.repository = repository;
		this.changeLog = changeLog;
		this.transactions = transactions;
	}

	@Override
	public void run(ApplicationArguments args) {
		this.keys = this.transactions.execute(status -> ensureKey());
	}

	TokenSigner signer() {
		return keys().signer();
	}

	TerminalTokens verifier(TokenAudience audience) {
		return (audience == TokenAudience.ADMIN) ? keys().admin() : keys().apps();
	}

	private Keys keys() {
		Keys current = this.keys;
		if (current == null) {
			throw new IllegalStateException("the token key is loaded when the admin has started");
		}
		return current;
	}

	private Keys ensureKey() {
		this.changeLog.lock();
		KeyPair generated = TokenSigner.generateKeyPair();
		if (this.repository.insertTokenKey(TokenKey.TERMINAL_TOKENS, generated.getPublic().getEncoded(),
				generated.getPrivate().getEncoded())) {
			this.changeLog.record(CacheKind.SIGNING_KEY, TokenKey.TERMINAL_TOKENS);
		}
		TerminalRepository.StoredKey stored = this.repository.findTokenKey(TokenKey.TERMINAL_TOKENS);
		TokenKey key = new TokenKey(stored.publicKey());
		return new Keys(new TokenSigner(privateKey(stored.privateKey())), new TerminalTokens(key, TokenAudience.APPS),
				new TerminalTokens(key, TokenAudience.ADMIN));
	}

	private static ECPrivateKey privateKey(byte[] pkcs8) {
		try {
			return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
		}
		catch (GeneralSecurityException | ClassCastException ex) {
			throw new IllegalStateException("the stored token signing key is not an EC private key", ex);
		}
	}

	private record Keys(TokenSigner signer, TerminalTokens apps, TerminalTokens admin) {
	}

}
