package dev.gatehouse.auth.activity;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.gatehouse.auth.config.AuthProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class ActivityRecorderTests {

	private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

	private final List<Map<String, String>> events = new ArrayList<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private boolean streamDown;

	private final ActivityRecorder recorder = new ActivityRecorder(event -> {
		if (this.streamDown) {
			throw new IllegalStateException("Redis timed out");
		}
		this.events.add(event);
	}, properties(), Clock.fixed(NOW, ZoneOffset.UTC), this.meters);

	@Test
	void manyRequestsBecomeOneEventPerFlushWithEachAppAndTerminalOnce() {
		for (int i = 0; i < 1_000; i++) {
			this.recorder.record((i % 2 == 0) ? "files" : "notes", (i % 3 == 0) ? "t-1" : null);
		}
		this.recorder.record("files", "t-2");
		this.recorder.flush();
		assertThat(this.events).singleElement().satisfies(event -> {
			assertThat(event).containsEntry("replica", "replica-a").containsEntry("at", NOW.toString());
			assertThat(Arrays.asList(event.get("apps").split(","))).containsExactlyInAnyOrder("files", "notes");
			assertThat(Arrays.asList(event.get("terminals").split(","))).containsExactlyInAnyOrder("t-1", "t-2");
		});
	}

	@Test
	void aFlushWithNothingSeenSendsNothingAndAFlushSendsEachRequestOnce() {
		this.recorder.flush();
		assertThat(this.events).isEmpty();
		this.recorder.record("files", null);
		this.recorder.flush();
		this.recorder.flush();
		assertThat(this.events).singleElement().satisfies(event -> {
			assertThat(event).containsEntry("apps", "files").containsEntry("terminals", "");
		});
	}

	@Test
	void aBatchTheStreamRefusesIsDroppedAndCountedNeverRetriedOrThrown() {
		this.recorder.record("files", "t-1");
		this.streamDown = true;
		this.recorder.flush();
		assertThat(this.meters.get("gatehouse.activity.dropped").counter().count()).isEqualTo(1);
		this.streamDown = false;
		this.recorder.record("notes", null);
		this.recorder.flush();
		assertThat(this.events).singleElement().satisfies(event -> assertThat(event).containsEntry("apps", "notes"));
	}

	private static AuthProperties properties() {
		return new Binder(new MapConfigurationPropertySource(Map.of("gatehouse.auth.replica-id", "replica-a")))
			.bindOrCreate("gatehouse.auth", AuthProperties.class);
	}

}
