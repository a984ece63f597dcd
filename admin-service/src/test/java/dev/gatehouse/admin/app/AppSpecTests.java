package dev.gatehouse.admin.app;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.gatehouse.admin.app.AppSpec.LifecycleSpec;
import dev.gatehouse.admin.app.AppSpec.PathSpec;
import dev.gatehouse.model.app.Access;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AppSpecTests {

	@Test
	void validSpecBecomesCanonicalRules() {
		AppSpec.Validated valid = new AppSpec(Map.of("/", new PathSpec("public", Map.of("X-Ptl-Foo", "baz")), "/api/",
				new PathSpec("private", null)), new LifecycleSpec(true, 600L)).validate();
		assertThat(valid.errors()).isEmpty();
		assertThat(valid.paths()).containsOnlyKeys("/", "/api");
		assertThat(valid.paths().get("/api").access()).isEqualTo(Access.PRIVATE);
		assertThat(valid.lifecycle()).isEqualTo(new Lifecycle(true, 600));
	}

	@Test
	void lifecycleHasDefaults() {
		AppSpec.Validated valid = new AppSpec(Map.of("/", new PathSpec("public", null)), null).validate();
		assertThat(valid.lifecycle()).isEqualTo(new Lifecycle(false, AppSpec.DEFAULT_IDLE_FOR_STOP_SECONDS));
	}

	@Test
	void everyViolationIsReported() {
		Map<String, PathSpec> paths = new LinkedHashMap<>();
		paths.put("relative", new PathSpec("public", null));
		paths.put("/a", new PathSpec("secret", null));
		paths.put("/b", new PathSpec("public", Map.of("Bad Header", "x", "X-Ptl-Client-Id", "y", "X-Ok", "{{ nope }}")));
		paths.put("/c", null);
		AppSpec.Validated invalid = new AppSpec(paths, new LifecycleSpec(false, 0L)).validate();
		assertThat(invalid.errors()).hasSize(7)
			.anySatisfy(error -> assertThat(error).contains("'relative'"))
			.anySatisfy(error -> assertThat(error).contains("'secret'"))
			.anySatisfy(error -> assertThat(error).contains("'Bad Header'"))
			.anySatisfy(error -> assertThat(error).contains("X-Ptl-Client-Id"))
			.anySatisfy(error -> assertThat(error).contains("nope"))
			.anySatisfy(error -> assertThat(error).contains("'/c' needs a rule"))
			.anySatisfy(error -> assertThat(error).contains("idle_for_stop"));
		assertThat(invalid.paths()).isEmpty();
	}

	@Test
	void prefixesThatNormalizeAlikeAreDuplicates() {
		assertThat(new AppSpec(Map.of("/api", new PathSpec("public", null), "/api/", new PathSpec("private", null)), null)
			.validate()
			.errors()).singleElement().asString().contains("given twice");
	}

	@Test
	void appNeedsAPath() {
		assertThat(new AppSpec(Map.of(), null).validate().errors()).containsExactly("paths must name at least one path prefix");
		assertThat(new AppSpec(null, null).validate().errors()).hasSize(1);
	}

}
