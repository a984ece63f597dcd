package dev.gatehouse.system;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.testsupport.PythonVenv;

/**
 * Schemathesis from PyPI, the property-based API tester that fuzzes an API from its OpenAPI description, in
 * its {@link PythonVenv} (tests that need it are skipped, visibly, where it cannot be had).
 */
final class Schemathesis {

	static final String VERSION = "4.32.5";

	private final PythonVenv venv;

	private Schemathesis(PythonVenv venv) {
		this.venv = venv;
	}

	/**
	 * Schemathesis in its virtualenv, made when missing.
	 * @return the tool; {@link #assumeAvailable()} tells whether it can be used
	 */
	static Schemathesis prepare() {
		return new Schemathesis(PythonVenv.prepare("schemathesis", VERSION));
	}

	/** Skips the calling test, with the reason, when schemathesis could not be had. */
	void assumeAvailable() {
		this.venv.assumeAvailable();
	}

	/**
	 * Runs {@code schemathesis run} to its end.
	 * @param workingDirectory where it may keep its files (a fresh one: no failures replayed from earlier runs)
	 * @param timeoutSeconds how long it may take
	 * @param arguments what follows {@code run}
	 * @return its exit code and everything it printed
	 */
	Result run(Path workingDirectory, int timeoutSeconds, List<String> arguments) {
		List<String> command = new ArrayList<>(List.of(this.venv.bin("schemathesis").toString(), "run"));
		command.addAll(arguments);
		try {
			File log = File.createTempFile("schemathesis", ".log");
			try {
				ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
					.redirectErrorStream(true)
					.redirectOutput(log);
				// plain output for the test report; no telemetry from a test run
				builder.environment().put("NO_COLOR", "1");
				builder.environment().put("SCHEMATHESIS_TELEMETRY", "false");
				Process process = builder.start();
				if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					throw new IllegalStateException("schemathesis took longer than %d s: %s".formatted(timeoutSeconds,
							Files.readString(log.toPath(), StandardCharsets.UTF_8)));
				}
				return new Result(process.exitValue(), Files.readString(log.toPath(), StandardCharsets.UTF_8));
			}
			finally {
				Files.deleteIfExists(log.toPath());
			}
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
	 * What a run ended with.
	 *
	 * @param exitCode 0 when every check passed
	 * @param output its report
	 */
	record Result(int exitCode, String output) {
	}

}
