package dev.gatehouse.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A private {@code redis-server} on a free loopback port, for tests that kill and restart Redis. It keeps
 * nothing on disk, so a restart starts empty, as after a crash or a failover to an empty replica. Tests
 * are skipped, visibly, where no {@code redis-server} binary exists.
 * <p>
 * The topologies ({@link RedisClusterProcesses}, {@link RedisSentinelProcesses}) are made of these, started
 * with further options.
 */
public final class RedisProcess implements AutoCloseable {

	private final int port;

	private final Path directory;

	private final List<String> arguments;

	private final boolean ownsDirectory;

	private Process process;

	private RedisProcess(int port, Path directory, List<String> arguments, boolean ownsDirectory) {
		this.port = port;
		this.directory = directory;
		this.arguments = List.copyOf(arguments);
		this.ownsDirectory = ownsDirectory;
	}

	/**
	 * Starts a private Redis.
	 * @return the running server
	 */
	public static RedisProcess start() {
		assumeInstalled();
		try {
			int port = freePort();
			Path directory = Files.createTempDirectory("gatehouse-redis");
			RedisProcess redis = new RedisProcess(port, directory, serverArguments(port, directory, List.of()), true);
			redis.restart();
			return redis;
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not start redis-server", ex);
		}
	}

	/**
	 * Starts a server of a topology: a node with further options, or (with {@code arguments} of its own) a
	 * sentinel. The caller owns the directory.
	 * @param port its port
	 * @param directory its working directory and log
	 * @param arguments the whole command line after the binary
	 */
	static RedisProcess start(int port, Path directory, List<String> arguments) {
		RedisProcess redis = new RedisProcess(port, directory, arguments, false);
		redis.restart();
		return redis;
	}

	/** The command line of a server that keeps nothing on disk, with further options. */
	static List<String> serverArguments(int port, Path directory, List<String> options) {
		List<String> arguments = new ArrayList<>(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no", "--dir", directory.toString()));
		arguments.addAll(options);
		return arguments;
	}

	/** Skips the calling test where Redis is not installed. */
	static void assumeInstalled() {
		Assumptions.assumeTrue(binary() != null, "no redis-server binary on this machine");
	}

	/**
	 * Its address.
	 * @return 127.0.0.1 and its port
	 */
	public InetSocketAddress address() {
		return new InetSocketAddress("127.0.0.1", this.port);
	}

	/**
	 * Whether it runs (it was not killed).
	 * @return true while its process is alive
	 */
	public boolean running() {
		return this.process != null && this.process.isAlive();
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
		List<String> command = new ArrayList<>();
		command.add(binary());
		command.addAll(this.arguments);
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("redis.log").toFile()))
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
				pause();
			}
		}
		throw new IllegalStateException("redis-server did not start on port %d; see %s".formatted(this.port,
				this.directory.resolve("redis.log")));
	}

	@Override
	public void close() {
		kill();
		if (this.ownsDirectory) {
			deleteRecursively(this.directory);
		}
	}

	static String binary() {
		for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
			if (Files.isExecutable(Path.of(candidate))) {
				return candidate;
			}
		}
		return null;
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	static void deleteRecursively(Path directory) {
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
			// a temporary directory: what is left is harmless
		}
	}

	/**
	 * Waits until a condition holds; a condition that throws (a node not answering yet) does not hold.
	 * @throws IllegalStateException naming what did not happen in time
	 */
	static void await(Duration timeout, String what, BooleanSupplier condition) {
		Instant deadline = Instant.now().plus(timeout);
		RuntimeException last = null;
		while (Instant.now().isBefore(deadline)) {
			try {
				if (condition.getAsBoolean()) {
					return;
				}
			}
			catch (RuntimeException ex) {
				last = ex;
			}
			pause();
		}
		throw new IllegalStateException("%s within %s".formatted(what, timeout), last);
	}

	static void pause() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
