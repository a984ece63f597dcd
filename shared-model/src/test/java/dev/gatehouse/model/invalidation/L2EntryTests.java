package dev.gatehouse.model.invalidation;

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

}
