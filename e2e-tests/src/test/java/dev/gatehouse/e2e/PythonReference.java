package dev.gatehouse.e2e;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * The Python reference implementation of RFC 9421, {@code http-message-signatures} from PyPI (the library the
 * original platform signs and verifies with), and {@code peering/reference_peer.py}, a peer built on it. The
 * library lives in a virtualenv made once per version under {@code ~/.cache/gatehouse/} (a few seconds with
 * PyPI at hand). Where there is no {@code python3} with {@code venv}, or pip cannot install the library, the
 * tests that need it are skipped, visibly, with the reason.
 */
final class PythonReference {

	static final String VERSION = "3.0.0";

	private final Path python;

	private final Path script;

	private final String unavailable;

	private PythonReference(Path python, Path script, String unavailable) {
		this.python = python;
		this.script = script;
		this.unavailable = unavailable;
	}

	/**
	 * The library in its virtualenv, made when missing.
	 * @return the reference; {@link #assumeAvailable()} tells whether it can be used
	 */
	static PythonReference prepare() {
		Path script;
		try {
			script = Path.of(PythonReference.class.getResource("/peering/reference_peer.py").toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
		Path venv = Path.of(System.getProperty("user.home"), ".cache", "gatehouse",
				"python-http-message-signatures-" + VERSION);
		Path python = venv.resolve("bin/python");
		Path ready = venv.resolve("gatehouse-ready");
		if (Files.exists(ready)) {
			return new PythonReference(python, script, null);
		}
		try {
			deleteRecursively(venv);
			Files.createDirectories(venv.getParent());
			String failure = run(List.of("python3", "-m", "venv", venv.toString()), 120);
			if (failure == null) {
				failure = run(List.of(python.toString(), "-m", "pip", "install", "--disable-pip-version-check", "-q",
						"http-message-signatures==" + VERSION), 300);
			}
			if (failure != null) {
				String reason = "the Python reference library (http-message-signatures " + VERSION + ") is unavailable: "
						+ failure;
				System.err.println("SKIPPED: " + reason);
				return new PythonReference(python, script, reason);
			}
			Files.writeString(ready, VERSION + "\n");
			return new PythonReference(python, script, null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Skips the calling test, with the reason, when the library could not be had. */
	void assumeAvailable() {
		Assumptions.assumeTrue(this.unavailable == null, this.unavailable);
	}

	/**
	 * Runs {@code reference_peer.py} to its end.
	 * @param arguments its arguments
	 * @return what it printed
	 */
	String run(String... arguments) {
		try {
			Process process = new ProcessBuilder(command(arguments)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("reference_peer.py %s failed: %s".formatted(arguments[0], output));
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Starts {@code reference_peer.py} as a server and waits until it listens.
	 * @param arguments its arguments
	 * @return the process, for the caller to destroy
	 */
	Process start(String... arguments) {
		try {
			Process process = new ProcessBuilder(command(arguments)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
			BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			String line = out.readLine();
			if (!"listening".equals(line)) {
				process.destroy();
				throw new IllegalStateException("reference_peer.py %s did not start: %s".formatted(arguments[0], line));
			}
			return process;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private List<String> command(String... arguments) {
		List<String> command = new ArrayList<>(List.of(this.python.toString(), this.script.toString()));
		command.addAll(List.of(arguments));
		return command;
	}

	/** Runs a set-up command; null when it succeeded, else what went wrong. */
	private static String run(List<String> command, int timeoutSeconds) {
		try {
			File log = File.createTempFile("python-reference", ".log");
			try {
				Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
				if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					return "%s took longer than %d s".formatted(String.join(" ", command), timeoutSeconds);
				}
				if (process.exitValue() != 0) {
					List<String> lines = Files.readAllLines(log.toPath());
					return "%s exited with %d: %s".formatted(String.join(" ", command), process.exitValue(),
							String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
				}
				return null;
			}
			finally {
				Files.deleteIfExists(log.toPath());
			}
		}
		catch (IOException ex) {
			return "%s could not run: %s".formatted(command.get(0), ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	private static void deleteRecursively(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

}
