package dev.gatehouse.model.app;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PathRulesTests {

	@Test
	void theLongestMatchingPrefixWins() {
		PathRules<Rule> rules = rules("/ public", "/private private", "/private/shared public");
		assertThat(rules.ruleFor("/private/shared/a.txt").prefix()).isEqualTo("/private/shared");
		assertThat(rules.ruleFor("/private/other").prefix()).isEqualTo("/private");
		assertThat(rules.ruleFor("/privateer").prefix()).isEqualTo("/");
	}

	@Test
	void aPathInAnotherCaseIsAsPrivateAsThePathItSpells() {
		PathRules<Rule> rules = rules("/ public", "/private private");
		assertThat(rules.ruleFor("/PRIVATE").prefix()).isEqualTo("/private");
		assertThat(rules.ruleFor("/Private/notes").prefix()).isEqualTo("/private");
	}

	@Test
	void formatSuffixesAndTrailingDotsAreAsPrivateAsThePathTheyExtend() {
		PathRules<Rule> rules = rules("/ public", "/private private");
		for (String path : new String[] { "/private.json", "/private.html", "/PRIVATE.xml", "/private.", "/private ",
				"/private. ", "/private.tar.gz" }) {
			assertThat(rules.ruleFor(path).prefix()).as(path).isEqualTo("/private");
		}
		assertThat(rules.ruleFor("/privateer.json").prefix()).isEqualTo("/");
		assertThat(rules.ruleFor("/assets/app.js").prefix()).isEqualTo("/");
	}

	@Test
	void aPublicPathWithASuffixIsPublicOnlyWhenEveryReadingIs() {
		PathRules<Rule> rules = rules("/ private", "/report public");
		// Rails serves /report.json from /report (public), Go from / (private): the stricter wins
		assertThat(rules.ruleFor("/report.json").prefix()).isEqualTo("/");
		assertThat(rules.ruleFor("/report").prefix()).isEqualTo("/report");
	}

	@Test
	void aPublicRuleInAnotherCaseDoesNotOpenAPrivatePath() {
		PathRules<Rule> rules = rules("/ public", "/api private", "/api/Docs public");
		assertThat(rules.ruleFor("/api/docs/secret").prefix()).isEqualTo("/api");
		assertThat(rules.ruleFor("/api/Docs/index").prefix()).isEqualTo("/api/Docs");
	}

	@Test
	void prefixesThatDifferOnlyInCaseMustAllBePassed() {
		PathRules<Rule> rules = rules("/ public", "/docs public", "/DOCS private");
		assertThat(rules.ruleFor("/Docs").prefix()).isEqualTo("/DOCS");
		assertThat(rules.ruleFor("/docs").prefix()).isEqualTo("/DOCS");
	}

	@Test
	void aPathThatMatchesOnlyIgnoringCaseNeedsARuleBothWays() {
		PathRules<Rule> rules = rules("/Api public");
		assertThat(rules.ruleFor("/Api/x")).isNotNull();
		assertThat(rules.ruleFor("/api/x")).isNull();
	}

	@Test
	void privateAndPeerRulesTogetherLeaveNoRule() {
		PathRules<Rule> rules = rules("/ public", "/peer peer", "/peer/Inbox private");
		assertThat(rules.ruleFor("/peer/inbox")).isNull();
		assertThat(rules.ruleFor("/peer/Inbox").prefix()).isEqualTo("/peer/Inbox");
	}

	@Test
	void rulesOfTheSameAccessKeepTheCaseSensitiveOne() {
		PathRules<Rule> rules = rules("/ public", "/a private", "/a/B private");
		assertThat(rules.ruleFor("/a/b").prefix()).isEqualTo("/a");
	}

	@Test
	void rulesAreKeptLongestFirst() {
		assertThat(rules("/ public", "/a/b private", "/a public").rules()).extracting(Rule::prefix)
			.containsExactly("/a/b", "/a", "/");
	}

	@Test
	void aPrefixMustBeAbsolute() {
		assertThatIllegalArgumentException().isThrownBy(() -> rules("private private"))
			.withMessageContaining("'private'");
	}

	private static PathRules<Rule> rules(String... rules) {
		List<Rule> list = new ArrayList<>();
		for (String rule : rules) {
			String[] parts = rule.split(" ");
			list.add(new Rule(parts[0], Access.fromWireName(parts[1])));
		}
		return PathRules.of(list, Rule::prefix, Rule::access);
	}

	private record Rule(String prefix, Access access) {
	}

}
