package dev.gatehouse.auth.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ResidentMemoryMetricsTests {

	@TempDir
	Path directory;

	@Test
	void readsTheResidentSetFromTheStatusFile() throws IOException {
		Path status = Files.writeString(this.directory.resolve("status"),
				"Name:\tjava\nVmPeak:\t 9999999 kB\nVmRSS:\t  204800 kB\nRssAnon:\t  100 kB\n");
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		new ResidentMemoryMetrics(status).bindTo(meters);
		assertThat(meters.get("process.memory.rss").gauge().value()).isEqualTo(204800 * 1024.0);
	}

	@Test
	void anUnreadableValueIsNoValueNotZero() throws IOException {
		Path status = Files.writeString(this.directory.resolve("status"), "Name:\tjava\nVmRSS:\tsoon\n");
		assertThat(new ResidentMemoryMetrics(status).residentBytes()).isNaN();
	}

	@Test
	void noGaugeWithoutTheFile() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		new ResidentMemoryMetrics(this.directory.resolve("missing")).bindTo(meters);
		assertThat(meters.find("process.memory.rss").gauge()).isNull();
	}

	@Test
	void thisProcessHasAResidentSetOnLinux() {
		assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "not Linux");
		assertThat(new ResidentMemoryMetrics().residentBytes()).isGreaterThan(1024 * 1024);
	}

}
