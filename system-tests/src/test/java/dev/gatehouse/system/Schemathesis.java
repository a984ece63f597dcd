package dev.gatehouse.system;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * Schemathesis from PyPI, the property-based API tester that fuzzes an API from its OpenAPI description. It lives
 * in a virtualenv made once per version under {@code ~/.cache/gatehouse/} (as the end-to-end tests keep their
 * Python reference library). Where there is no {@code python3} with {@code venv}, or pip cannot install it (no
 * PyPI), the tests that need it are skipped, visibly, with the reason.
 */
final class Schemathesis {

	static final String VERSION = "4.32.5";

	private final Path executable;

	private final String unavailable;

	private Schemathesis(Path executable, String unavailable) {
		this.executable = executable;
		this.unavailable = unavailable;
	}

	/**
	 * Schemathesis in its virtualenv, made when missing.
	 * @return the tool; {@link #assumeAvailable()} tells whether it can be used
	 */
	static Schemathesis prepare() {
		Path venv = Path.of(System.getProperty("user.home"), ".cache", "gatehouse", "python-schemathesis-" + VERSION);
		Path executable = venv.resolve("bin/schemathesis");
		Path ready = venv.resolve("gatehouse-ready");
		if (Files.exists(ready)) {
			return new Schemathesis(executable, null);
		}
		try {
			deleteRecursively(venv);
			Files.createDirectories(venv.getParent());
			String failure = setUp(List.of("python3", "-m", "venv", venv.toString()), 120);
			if (failure == null) {
				failure = setUp(List.of(venv.resolve("bin/python").toString(), "-m", "pip", "install",
						"--disable-pip-version-check", "-q", "schemathesis==" + VERSION), 300);
			}
			if (failure != null) {
				String reason = "schemathesis " + VERSION + " is unavailable: " + failure;
				System.err.println("SKIPPED: " + reason);
				return new Schemathesis(executable, reason);
			}
			Files.writeString(ready, VERSION + "\n");
			return new Schemathesis(executable, null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Skips the calling test, with the reason, when schemathesis could not be had. */
	void assumeAvailable() {
		Assumptions.assumeTrue(this.unavailable == null, this.unavailable);
	}

	/**
	 * Runs {@code schemathesis run} to its end.
	 * @param workingDirectory where it may keep its files (a fresh one: no failures replayed from earlier runs)
	 * @param timeoutSeconds how long it may take
	 * @param arguments what follows {@code run}
	 * @return its exit code and everything it printed
	 */
	Result run(Path workingDirectory, int timeoutSeconds, List<String> arguments) {
		List<String> command = new ArrayList<>(List.of(this.executable.toString(), "run"));
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

	/** Runs a set-up command; null when it succeeded, else what went wrong. */
	private static String setUp(List<String> command, int timeoutSeconds) {
		try {
			File log = File.createTempFile("schemathesis-setup", ".log");
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
