package dev.gatehouse.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gatehouse.model.terminal.TokenAudience;
import dev.gatehouse.model.terminal.TokenSigner;

/**
 * Fills one replica's L1 with many apps and terminals by asking for each once, for the memory benchmark.
 * The apps {@code m1..mN} and terminals {@code t1..tN} must exist in the database already.
 * <p>
 * Usage: {@code CacheFiller <replica-url> <apps> <terminals> <token-private-key-pkcs8-hex>}
 */
public final class CacheFiller {

	private CacheFiller() {
	}

	public static void main(String[] args) throws Exception {
		String replica = args[0];
		int apps = Integer.parseInt(args[1]);
		int terminals = Integer.parseInt(args[2]);
		TokenSigner tokens = new TokenSigner((ECPrivateKey) KeyFactory.getInstance("EC")
			.generatePrivate(new PKCS8EncodedKeySpec(HexFormat.of().parseHex(args[3]))));
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		AtomicInteger failures = new AtomicInteger();
		Semaphore inFlight = new Semaphore(32);
		Instant now = Instant.now();
		Instant expiry = now.plus(Duration.ofDays(1));
		try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 1; i <= Math.max(apps, terminals); i++) {
				int n = i;
				inFlight.acquire();
				clients.submit(() -> {
					try {
						String app = "m" + Math.min(n, apps);
						HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(replica + "/internal/auth"))
							.header("X-Forwarded-Host", app + ".bench.localhost")
							.header("X-Forwarded-Uri", "/")
							.timeout(Duration.ofSeconds(10));
						if (n <= terminals) {
							request.header("Cookie", "authorization=" + tokens.issue("t" + n, TokenAudience.APPS, now, expiry));
						}
						HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
						if (response.statusCode() != 200) {
							failures.incrementAndGet();
						}
					}
					catch (Exception ex) {
						failures.incrementAndGet();
					}
					finally {
						inFlight.release();
					}
					return null;
				});
			}
		}
		System.out.println("failures=" + failures.get());
	}

}
