package dev.gatehouse.admin.terminal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PairingAttemptsTests {

	@Test
	void spellingsOfOneAddressShareABucket() {
		assertThat(PairingAttempts.clientBucket("198.51.100.4")).isEqualTo("v4:198.51.100.4");
		assertThat(PairingAttempts.clientBucket("::ffff:198.51.100.4")).isEqualTo("v4:198.51.100.4");
		assertThat(PairingAttempts.clientBucket("2001:DB8::1")).isEqualTo(PairingAttempts.clientBucket("2001:db8:0:0::1"));
	}

	@Test
	void oneIpv6AllocationIsOneClient() {
		assertThat(PairingAttempts.clientBucket("2001:db8:1:2::7")).isEqualTo(PairingAttempts.clientBucket("2001:db8:1:ff::9"))
			.isEqualTo("v6:20010db8000100::/56");
		assertThat(PairingAttempts.clientBucket("2001:db8:1:100::1")).isNotEqualTo(PairingAttempts.clientBucket("2001:db8:1:2::1"));
	}

	@Test
	void whatIsNoAddressCountsAsOneClient() {
		for (String forged : new String[] { "garbage-b", "198.051.100.004", "198.51.100.5:1234", "1.1.1.1;2.2.2.2",
				"x".repeat(5_000), "", "abc:def", "localhost", "1.2.3" }) {
			assertThat(PairingAttempts.clientBucket(forged)).as(forged).isEqualTo("other");
		}
	}

}
