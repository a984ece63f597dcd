package dev.gatehouse.model.invalidation;

import dev.gatehouse.model.invalidation.ChangeMessage.Heartbeat;
import dev.gatehouse.model.invalidation.ChangeMessage.Invalidation;
import dev.gatehouse.model.invalidation.ChangeMessage.Removal;
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
	void removalRoundTrips() {
		Removal removal = new Removal(43, CacheKind.APP, "files");
		assertThat(removal.encode()).isEqualTo("rm 43 app files");
		assertThat(ChangeMessage.decode(removal.encode())).isEqualTo(removal);
	}

	@Test
	void heartbeatRoundTrips() {
		assertThat(ChangeMessage.decode(new Heartbeat(7, "e1").encode())).isEqualTo(new Heartbeat(7, "e1"));
	}

	@Test
	void changeOfAnUnknownTypeDecodesAsAnInvalidationOfItsEntry() {
		assertThat(ChangeMessage.decode("renamed 44 terminal 0b6c-11")).isEqualTo(new Invalidation(44, CacheKind.TERMINAL, "0b6c-11"));
	}

	@Test
	void malformedMessagesAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ChangeMessage.decode("inv x app files"));
		assertThatIllegalArgumentException().isThrownBy(() -> ChangeMessage.decode("inv 1 nonsense files"));
		assertThatIllegalArgumentException().isThrownBy(() -> ChangeMessage.decode("rm 1 nonsense files"));
		assertThatIllegalArgumentException().isThrownBy(() -> ChangeMessage.decode("inv 1 app"));
		assertThatIllegalArgumentException().isThrownBy(() -> ChangeMessage.decode("rm 1 app"));
		assertThatIllegalArgumentException().isThrownBy(() -> ChangeMessage.decode("hello"));
		assertThatIllegalArgumentException().isThrownBy(() -> ChangeMessage.decode("hb 7"));
	}

}
