package dev.gatehouse.model.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AppNameTests {

	@Test
	void dnsLabelsAreValid() {
		assertThat(AppName.isValid("files")).isTrue();
		assertThat(AppName.isValid("my-app2")).isTrue();
		assertThat(AppName.isValid("a".repeat(63))).isTrue();
	}

	@Test
	void anythingElseIsInvalid() {
		assertThat(AppName.isValid("My-App")).isFalse();
		assertThat(AppName.isValid("-app")).isFalse();
		assertThat(AppName.isValid("app-")).isFalse();
		assertThat(AppName.isValid("a.b")).isFalse();
		assertThat(AppName.isValid("a".repeat(64))).isFalse();
		assertThat(AppName.isValid("")).isFalse();
		assertThat(AppName.isValid(null)).isFalse();
	}

}
