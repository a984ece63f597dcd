package dev.gatehouse.admin.app;

import java.util.LinkedHashMap;
import java.util.List;
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

	private static AppSpec rule(Map<String, String> headers) {
		return new AppSpec(Map.of("/", new PathSpec("public", headers)), null);
	}

	private static List<String> errors(AppSpec spec) {
		return spec.validate().errors();
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
		paths.put("/b", new PathSpec("public", Map.of("Bad Header", "x", "X-Ptl-Client-Id", "y", "X-Ptl-Ok", "{{ nope }}")));
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
	void headersThatMeanSomethingToTheProxyOrTheAppAreRefused() {
		Map<String, String> headers = Map.of("Content-Length", "5", "Transfer-Encoding", "chunked", "Host",
				"evil.example.org", "x-ptl-lower-case", "fine");
		assertThat(errors(rule(headers))).hasSize(3)
			.anySatisfy(error -> assertThat(error).contains("'Content-Length'", "must be 'X-Ptl-' followed by"))
			.anySatisfy(error -> assertThat(error).contains("'Transfer-Encoding'", "must be 'X-Ptl-' followed by"))
			.anySatisfy(error -> assertThat(error).contains("'Host'", "must be 'X-Ptl-' followed by"));
	}

	@Test
	void underscoreSpellingsThatBackendsReadAsIdentityHeadersAreRefused() {
		Map<String, String> headers = Map.of("X-Ptl-Client_Id", "forged", "X_Ptl_Client_Type", "terminal", "X-Ptl-Team_Name", "x");
		assertThat(errors(rule(headers))).hasSize(3);
	}

	@Test
	void anAppHasAtMost64RulesAndTooManyGiveOneMessage() {
		Map<String, PathSpec> paths = new LinkedHashMap<>();
		for (int i = 0; i < AppSpec.MAX_RULES; i++) {
			paths.put("/p" + i, new PathSpec("public", null));
		}
		assertThat(new AppSpec(paths, null).validate().errors()).isEmpty();
		paths.put("/one-too-many", new PathSpec("public", null));
		assertThat(new AppSpec(paths, null).validate().errors())
			.containsExactly("an app may have at most 64 path rules, not 65");
		for (int i = 0; i < 10_000; i++) {
			paths.put("/q" + i, new PathSpec("public", Map.of("Bad Header", "x")));
		}
		// one message for the count, one for the size: not one per rule
		assertThat(new AppSpec(paths, null).validate().errors()).hasSize(2)
			.contains("an app may have at most 64 path rules, not 10065");
	}

	@Test
	void prefixHasAtMost256Characters() {
		String longest = "/" + "a".repeat(AppSpec.MAX_PREFIX_LENGTH - 1);
		assertThat(new AppSpec(Map.of(longest, new PathSpec("public", null)), null).validate().errors()).isEmpty();
		assertThat(new AppSpec(Map.of(longest + "a", new PathSpec("public", null)), null).validate().errors())
			.singleElement()
			.asString()
			.contains("is 257 characters long; at most 256", "'/aaaa")
			.hasSizeLessThan(200);
	}

	@Test
	void headerNameHasAtMost64Characters() {
		String longest = "X-Ptl-" + "a".repeat(AppSpec.MAX_HEADER_NAME_LENGTH - 6);
		assertThat(errors(rule(Map.of(longest, "x")))).isEmpty();
		assertThat(errors(rule(Map.of(longest + "a", "x")))).singleElement()
			.asString()
			.contains("header name 'X-Ptl-aaa", "is 65 characters long; at most 64");
	}

	@Test
	void aRuleSetsAtMost16Headers() {
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 0; i < AppSpec.MAX_HEADERS_PER_RULE; i++) {
			headers.put("X-Ptl-H" + i, "x");
		}
		assertThat(errors(rule(headers))).isEmpty();
		headers.put("X-Ptl-One-Too-Many", "x");
		assertThat(errors(rule(headers))).singleElement().asString().contains("sets 17 headers; at most 16");
	}

	@Test
	void templateHasAtMost1024CharactersAndTheMessageGivesItsSizeNotItsText() {
		assertThat(errors(rule(Map.of("X-Ptl-A", "a".repeat(AppSpec.MAX_TEMPLATE_LENGTH))))).isEmpty();
		assertThat(errors(rule(Map.of("X-Ptl-A", "b".repeat(10 * 1024))))).singleElement()
			.asString()
			.contains("header 'X-Ptl-A'", "is 10240 characters long; at most 1024")
			.doesNotContain("bbbb");
	}

	@Test
	void wholeDefinitionHasAtMost32KibOfPrefixesNamesAndTemplates() {
		Map<String, PathSpec> paths = new LinkedHashMap<>();
		for (int i = 0; i < 7; i++) {
			Map<String, String> headers = new LinkedHashMap<>();
			for (int h = 0; h < 5; h++) {
				headers.put("X-Ptl-H" + h, "v".repeat(1000));
			}
			paths.put("/p" + i, new PathSpec("public", headers));
		}
		assertThat(new AppSpec(paths, null).validate().errors()).singleElement()
			.asString()
			.contains("add up to 35301 characters; at most 32768");
	}

	@Test
	void ruleWhoseHeadersCouldOutgrowTheResponseHeaderBudgetIsRefused() {
		// each: "X-Ptl-En: " + the marker + 254 characters of 3 UTF-8 bytes, percent-encoded + CRLF = 2305 bytes
		Map<String, String> twoEmails = Map.of("X-Ptl-E1", "{{ portal.email }}", "X-Ptl-E2", "{{ portal.email }}");
		assertThat(errors(rule(twoEmails))).isEmpty();
		Map<String, String> threeEmails = new LinkedHashMap<>(twoEmails);
		threeEmails.put("X-Ptl-E3", "{{ portal.email }}");
		assertThat(errors(rule(threeEmails))).singleElement()
			.asString()
			.contains("could take 6915 bytes", "at most 6144");
	}

	@Test
	void realisticIdentityTemplatesFitTheBudget() {
		assertThat(errors(rule(Map.of("X-Ptl-Portal",
				"{{ portal.short_id }} {{ portal.domain }} {{ portal.name }} <{{ portal.email }}>", "X-Ptl-Key",
				"{{ portal.public_key_pem }}", "X-Ptl-Who", "{{ auth.client_name }} ({{ auth.client_id }})"))))
			.isEmpty();
	}

	@Test
	void controlCharactersAreRefusedInEveryTextFieldNamingIt() {
		assertThat(errors(rule(Map.of("X-Ptl-A", "a\u0000b")))).singleElement()
			.asString()
			.contains("header 'X-Ptl-A'", "template must not contain control characters", "U+0000 at offset 1");
		assertThat(errors(rule(Map.of("X-Ptl-A", "a\r\nX-Injected: 1")))).singleElement()
			.asString()
			.contains("U+000D at offset 1");
		assertThat(errors(rule(Map.of("X-Ptl-\u0000", "x")))).singleElement()
			.asString()
			.contains("header name 'X-Ptl-\\u0000' is not a valid HTTP field name");
		assertThat(new AppSpec(Map.of("/a\u0000", new PathSpec("public", null)), null).validate().errors()).singleElement()
			.asString()
			.contains("path prefix '/a\\u0000' must not contain control characters (U+0000 at offset 2)");
	}

	@Test
	void appNeedsAPath() {
		assertThat(new AppSpec(Map.of(), null).validate().errors()).containsExactly("paths must name at least one path prefix");
		assertThat(new AppSpec(null, null).validate().errors()).hasSize(1);
	}

}
