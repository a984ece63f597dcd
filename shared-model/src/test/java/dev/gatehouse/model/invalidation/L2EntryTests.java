package dev.gatehouse.model.invalidation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.model.invalidation.L2Entry.Absent;
import dev.gatehouse.model.invalidation.L2Entry.Present;
import dev.gatehouse.model.invalidation.L2Entry.Tombstone;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class L2EntryTests {

	@Test
	void everyEntryTypeRoundTrips() {
		assertThat(L2Entry.decode(new Present(12, "{\"a\":\"x|y\"}").encode())).isEqualTo(new Present(12, "{\"a\":\"x|y\"}"));
		assertThat(L2Entry.decode(new Absent(3).encode())).isEqualTo(new Absent(3));
		assertThat(L2Entry.decode(new Tombstone(9).encode())).isEqualTo(new Tombstone(9));
	}

	@Test
	void malformedEntriesAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> L2Entry.decode("garbage"));
		assertThatIllegalArgumentException().isThrownBy(() -> L2Entry.decode("x|P|{}"));
		assertThatIllegalArgumentException().isThrownBy(() -> L2Entry.decode("1|Q|"));
	}

	@Test
	void putIfNewerSendsTheArgumentsInTheOrderTheScriptReadsThem() {
		List<String> call = new ArrayList<>();
		boolean stored = L2Entry.putIfNewer((script, key, arguments) -> {
			call.add(script);
			call.add(key);
			call.addAll(List.of(arguments));
			return 1;
		}, "ns:cache:v3:app:files", new Tombstone(42), Duration.ofHours(1));
		assertThat(stored).isTrue();
		assertThat(call).containsExactly(L2Entry.PUT_IF_NEWER_SCRIPT, "ns:cache:v3:app:files", "42|T|", "42", "3600000");
	}

	@Test
	void putIfNewerReportsAnEntryRedisKeptNewer() {
		assertThat(L2Entry.putIfNewer((script, key, arguments) -> 0, "k", new Present(1, "{}"), Duration.ofSeconds(1))).isFalse();
	}

}
