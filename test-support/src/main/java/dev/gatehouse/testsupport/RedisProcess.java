package dev.gatehouse.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/**
 * A private {@code redis-server} on a free loopback port, for tests that kill and restart Redis. It keeps
 * nothing on disk, so a restart starts empty, as after a crash or a failover to an empty replica. Tests
 * are skipped, visibly, where no {@code redis-server} binary exists.
 */
public final class RedisProcess implements AutoCloseable {

	private final int port;

	private final Path directory;

	private Process process;

	private RedisProcess(int port, Path directory) {
		this.port = port;
		this.directory = directory;
	}

	/**
	 * Starts a private Redis.
	 * @return the running server
	 */
	public static RedisProcess start() {
		Assumptions.assumeTrue(binary() != null, "no redis-server binary on this machine");
		try {
			RedisProcess redis = new RedisProcess(freePort(), Files.createTempDirectory("gatehouse-redis"));
			redis.restart();
			return redis;
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not start redis-server", ex);
		}
	}

	/**
	 * Its address.
	 * @return 127.0.0.1 and its port
	 */
	public InetSocketAddress address() {
		return new InetSocketAddress("127.0.0.1", this.port);
	}

	/**
	 * Kills it at once ({@code SIGKILL}); its data is gone.
	 */
	public void kill() {
		if (this.process != null) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.process = null;
		}
	}

	/**
	 * Starts it again on the same port, empty.
	 */
	public void restart() {
		kill();
		try {
			this.process = new ProcessBuilder(List.of(binary(), "--port", Integer.toString(this.port), "--bind", "127.0.0.1",
					"--save", "", "--appendonly", "no", "--dir", this.directory.toString()))
				.redirectErrorStream(true)
				.redirectOutput(this.directory.resolve("redis.log").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not start redis-server", ex);
		}
		Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
		while (Instant.now().isBefore(deadline)) {
			try (Socket socket = new Socket()) {
				socket.connect(address(), 200);
				return;
			}
			catch (IOException ex) {
				sleep();
			}
		}
		throw new IllegalStateException("redis-server did not start on port " + this.port);
	}

	@Override
	public void close() {
		kill();
	}

	private static String binary() {
		for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
			if (Files.isExecutable(Path.of(candidate))) {
				return candidate;
			}
		}
		return null;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
