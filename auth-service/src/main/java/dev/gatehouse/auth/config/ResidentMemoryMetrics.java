package dev.gatehouse.auth.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * The replica's resident memory ({@code process.memory.rss}, from {@code /proc/self/status}): what a
 * container's memory limit counts, and what the JVM's own metrics (heap, non-heap, buffers) add up to only in
 * part (thread stacks, the JIT's arenas, malloc). No gauge where the file does not exist (not Linux).
 */
@Component
class ResidentMemoryMetrics implements MeterBinder {

	private final Path status;

	ResidentMemoryMetrics() {
		this(Path.of("/proc/self/status"));
	}

	ResidentMemoryMetrics(Path status) {
		this.status = status;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (Files.isReadable(this.status)) {
			Gauge.builder("process.memory.rss", this, ResidentMemoryMetrics::residentBytes)
				.description("Resident set size of the process")
				.baseUnit("bytes")
				.register(registry);
		}
	}

	/** The {@code VmRSS} line, in bytes; NaN when it cannot be read. */
	double residentBytes() {
		try {
			for (String line : Files.readAllLines(this.status)) {
				if (line.startsWith("VmRSS:")) {
					// "VmRSS:	  123456 kB"
					String kilobytes = line.substring(6).strip();
					return Long.parseLong(kilobytes.substring(0, kilobytes.indexOf(' '))) * 1024.0;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// reported as no value, never as zero
		}
		return Double.NaN;
	}

}
