package dev.gatehouse.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.testsupport.PythonVenv;

/**
 * The Python reference implementation of RFC 9421, {@code http-message-signatures} from PyPI (the library the
 * original platform signs and verifies with), and {@code peering/reference_peer.py}, a peer built on it. The
 * library lives in a {@link PythonVenv} (tests that need it are skipped, visibly, where it cannot be had).
 */
final class PythonReference {

	static final String VERSION = "3.0.0";

	private final PythonVenv venv;

	private final Path python;

	private final Path script;

	private PythonReference(PythonVenv venv, Path script) {
		this.venv = venv;
		this.python = venv.bin("python");
		this.script = script;
	}

	/**
	 * The library in its virtualenv, made when missing.
	 * @return the reference; {@link #assumeAvailable()} tells whether it can be used
	 */
	static PythonReference prepare() {
		try {
			return new PythonReference(PythonVenv.prepare("http-message-signatures", VERSION),
					Path.of(PythonReference.class.getResource("/peering/reference_peer.py").toURI()));
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Skips the calling test, with the reason, when the library could not be had. */
	void assumeAvailable() {
		this.venv.assumeAvailable();
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

}
