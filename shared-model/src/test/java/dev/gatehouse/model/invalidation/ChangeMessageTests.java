package dev.gatehouse.model.invalidation;

import dev.gatehouse.model.invalidation.ChangeMessage.Heartbeat;
import dev.gatehouse.model.invalidation.ChangeMessage.Invalidation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ChangeMessageTests {

	@Test
	void invalidationRoundTrips() {
		Invalidation invalidation = new Invalidation(42, CacheKind.TERMINAL, "0b6c-11");
		assertThat(invalidation.encode()).isEqualTo("inv 42 terminal 0b6c-11");
		assertThat(ChangeMessage.decode(invalidation.encode())).isEqualTo(invalidation);
	}

	@Test
	void heartbeatRoundTrips() {
		assertThat(ChangeMessage.decode(new Heartbeat(7, "e1").encode())).isEqualTo(new Heartbeat(7, "e1"));
	}

	@Test
	void malformedMessagesAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ChangeMessage.decode("inv x app files"));
		assertThatIllegalArgumentException().isThrownBy(() -> ChangeMessage.decode("inv 1 nonsense files"));
		assertThatIllegalArgumentException().isThrownBy(() -> ChangeMessage.decode("inv 1 app"));
		assertThatIllegalArgumentException().isThrownBy(() -> ChangeMessage.decode("hello"));
		assertThatIllegalArgumentException().isThrownBy(() -> ChangeMessage.decode("hb 7"));
	}

}
