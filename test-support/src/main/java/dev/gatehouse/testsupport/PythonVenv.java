package dev.gatehouse.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * One package from PyPI in a virtualenv made once per package and version under
 * {@code ~/.cache/gatehouse/}, for tests that run a Python tool (a reference library, a fuzzer). Where there
 * is no {@code python3} with {@code venv}, or pip cannot install the package (no PyPI), the tests that need
 * it are skipped, visibly, with the reason.
 */
public final class PythonVenv {

	private final Path directory;

	private final String unavailable;

	private PythonVenv(Path directory, String unavailable) {
		this.directory = directory;
		this.unavailable = unavailable;
	}

	/**
	 * The package in its virtualenv, made when missing.
	 * @param distribution the PyPI name
	 * @param version the exact version
	 * @return the virtualenv; {@link #assumeAvailable()} tells whether it can be used
	 */
	public static PythonVenv prepare(String distribution, String version) {
		Path venv = Path.of(System.getProperty("user.home"), ".cache", "gatehouse", "python-" + distribution + "-" + version);
		Path ready = venv.resolve("gatehouse-ready");
		if (Files.exists(ready)) {
			return new PythonVenv(venv, null);
		}
		try {
			deleteRecursively(venv);
			Files.createDirectories(venv.getParent());
			String failure = run(List.of("python3", "-m", "venv", venv.toString()), 120);
			if (failure == null) {
				failure = run(List.of(venv.resolve("bin/python").toString(), "-m", "pip", "install",
						"--disable-pip-version-check", "-q", distribution + "==" + version), 300);
			}
			if (failure != null) {
				String reason = "%s %s is unavailable: %s".formatted(distribution, version, failure);
				System.err.println("SKIPPED: " + reason);
				return new PythonVenv(venv, reason);
			}
			Files.writeString(ready, version + "\n");
			return new PythonVenv(venv, null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Skips the calling test, with the reason, when the package could not be had. */
	public void assumeAvailable() {
		Assumptions.assumeTrue(this.unavailable == null, this.unavailable);
	}

	/**
	 * An executable of the virtualenv.
	 * @param name e.g. {@code python} or a tool's console script
	 * @return its path
	 */
	public Path bin(String name) {
		return this.directory.resolve("bin").resolve(name);
	}

	/** Runs a set-up command; null when it succeeded, else what went wrong. */
	private static String run(List<String> command, int timeoutSeconds) {
		try {
			File log = File.createTempFile("python-venv", ".log");
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
