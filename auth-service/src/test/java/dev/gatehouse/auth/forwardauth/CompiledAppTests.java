package dev.gatehouse.auth.forwardauth;

import java.util.Map;

import dev.gatehouse.model.app.Access;
import dev.gatehouse.model.app.App;
import dev.gatehouse.model.app.AppStatus;
import dev.gatehouse.model.app.PathRule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CompiledAppTests {

	private final CompiledApp app = CompiledApp.compile(new App("files", AppStatus.RUNNING,
			Map.of("/", new PathRule(Access.PUBLIC, Map.of()), "/private", new PathRule(Access.PRIVATE, Map.of()),
					"/private/shared", new PathRule(Access.PUBLIC, Map.of("X-Ptl-Foo", "{{ portal.id }}")))));

	@Test
	void longestMatchingPrefixWins() {
		assertThat(this.app.ruleFor("/private/shared/a.txt").prefix()).isEqualTo("/private/shared");
		assertThat(this.app.ruleFor("/private/other").prefix()).isEqualTo("/private");
		assertThat(this.app.ruleFor("/privateer").prefix()).isEqualTo("/");
	}

	@Test
	void templatesAreCompiledWithTheirRule() {
		assertThat(this.app.ruleFor("/private/shared").headers()).singleElement()
			.satisfies(header -> assertThat(header.template().render(variable -> "id-1")).isEqualTo("id-1"));
	}

	@Test
	void headersStoredBeforeRulesWereLimitedAreNotSent() {
		CompiledApp legacy = CompiledApp.compile(new App("legacy", AppStatus.RUNNING, Map.of("/", new PathRule(Access.PUBLIC,
				Map.of("Content-Length", "5", "Transfer-Encoding", "chunked", "X-Ptl-Client-Id", "forged", "X-Ptl-Foo", "kept")))));
		assertThat(legacy.ruleFor("/").headers()).extracting(CompiledApp.Header::name).containsExactly("X-Ptl-Foo");
	}

	@Test
	void aPrivatePathSpelledInAnotherCaseIsStillPrivate() {
		assertThat(this.app.ruleFor("/PRIVATE").access()).isEqualTo(Access.PRIVATE);
		assertThat(this.app.ruleFor("/Private/notes").access()).isEqualTo(Access.PRIVATE);
	}

	@Test
	void aPublicRuleSpelledInAnotherCaseDoesNotOpenThePrivateRuleAboveIt() {
		CompiledApp api = CompiledApp.compile(new App("api", AppStatus.RUNNING, Map.of("/", new PathRule(Access.PUBLIC,
				Map.of()), "/api", new PathRule(Access.PRIVATE, Map.of()), "/api/Docs", new PathRule(Access.PUBLIC, Map.of()))));
		assertThat(api.ruleFor("/api/docs/secret").access()).isEqualTo(Access.PRIVATE);
		assertThat(api.ruleFor("/api/Docs/index").access()).isEqualTo(Access.PUBLIC);
	}

	@Test
	void withoutARootRuleSomePathsMatchNothing() {
		CompiledApp narrow = CompiledApp.compile(new App("api", AppStatus.RUNNING,
				Map.of("/api", new PathRule(Access.PUBLIC, Map.of()))));
		assertThat(narrow.ruleFor("/api/v1")).isNotNull();
		assertThat(narrow.ruleFor("/")).isNull();
	}

}
