package dev.gatehouse.admin.terminal;

import java.security.SecureRandom;

import dev.gatehouse.admin.changelog.ChangeLog;
import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.terminal.SigningKey;
import dev.gatehouse.model.terminal.TerminalTokens;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The terminal-token signing key: generated once, on the admin's first start, and kept in PostgreSQL,
 * where the auth replicas read it through their caches. It is created by an {@link ApplicationRunner}
 * (after the context is up, before the admin reports ready) so that its creation is published like any
 * other change.
 */
@Component
class SigningKeyStore implements ApplicationRunner {

	private final JdbcClient jdbc;

	private final ChangeLog changeLog;

	private final TransactionTemplate transactions;

	private volatile TerminalTokens tokens;

	SigningKeyStore(JdbcClient jdbc, ChangeLog changeLog, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.changeLog = changeLog;
		this.transactions = transactions;
	}

	@Override
	public void run(ApplicationArguments args) {
		this.tokens = new TerminalTokens(this.transactions.execute(status -> ensureKey()));
	}

	TerminalTokens tokens() {
		TerminalTokens current = this.tokens;
		if (current == null) {
			throw new IllegalStateException("the signing key is loaded when the admin has started");
		}
		return current;
	}

	private SigningKey ensureKey() {
		this.changeLog.lock();
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		int created = this.jdbc.sql("insert into signing_key (name, secret) values (?, ?) on conflict (name) do nothing")
			.params(SigningKey.TERMINAL_TOKENS, secret)
			.update();
		if (created == 1) {
			this.changeLog.record(CacheKind.SIGNING_KEY, SigningKey.TERMINAL_TOKENS);
		}
		return new SigningKey(this.jdbc.sql("select secret from signing_key where name = ?")
			.param(SigningKey.TERMINAL_TOKENS)
			.query(byte[].class)
			.single());
	}

}
