package dev.gatehouse.auth.config;

import java.time.Duration;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps a stopping replica serving for {@code gatehouse.auth.shutdown-delay} after Spring Boot turned its
 * readiness to refusing traffic, and before the web server stops accepting connections: the proxy's
 * health check sees the replica go and stops sending it decisions, so no decision lands on a closed
 * connector. It stops first (the highest phase), ahead of the web server's graceful shutdown.
 */
@Component
class ShutdownDelay implements SmartLifecycle {

	private final Duration delay;

	private volatile boolean running;

	ShutdownDelay(AuthProperties properties) {
		this.delay = properties.shutdownDelay();
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.delay.isZero()) {
			return;
		}
		try {
			Thread.sleep(this.delay);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

}
