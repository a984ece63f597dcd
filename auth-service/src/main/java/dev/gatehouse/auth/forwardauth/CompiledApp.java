package dev.gatehouse.auth.forwardauth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.gatehouse.model.app.Access;
import dev.gatehouse.model.app.App;
import dev.gatehouse.model.app.HeaderTemplate;
import dev.gatehouse.model.app.PathRule;
import dev.gatehouse.model.app.RequestPath;

/**
 * An app ready for decisions: rules sorted longest prefix first, header templates parsed. Built once per
 * app version, when it enters L1.
 *
 * @param rules the rules, longest prefix first
 */
record CompiledApp(List<Rule> rules) {

	static CompiledApp compile(App app) {
		List<Rule> rules = new ArrayList<>(app.paths().size());
		for (Map.Entry<String, PathRule> entry : app.paths().entrySet()) {
			List<Header> headers = new ArrayList<>(entry.getValue().headers().size());
			entry.getValue().headers().forEach((name, template) -> headers.add(new Header(name, HeaderTemplate.parse(template))));
			rules.add(new Rule(entry.getKey(), entry.getValue().access(), List.copyOf(headers)));
		}
		rules.sort(Comparator.comparingInt((Rule rule) -> rule.prefix().length()).reversed());
		return new CompiledApp(List.copyOf(rules));
	}

	/**
	 * The rule with the longest prefix that matches a path.
	 * @param path a normalized path
	 * @return the rule, or null when none matches (the request is refused)
	 */
	Rule ruleFor(String path) {
		for (Rule rule : this.rules) {
			if (RequestPath.matches(rule.prefix(), path)) {
				return rule;
			}
		}
		return null;
	}

	/**
	 * A compiled path rule.
	 *
	 * @param prefix the canonical prefix
	 * @param access who may enter
	 * @param headers the headers to render for allowed requests
	 */
	record Rule(String prefix, Access access, List<Header> headers) {
	}

	/**
	 * A compiled header.
	 *
	 * @param name the header name
	 * @param template its value template
	 */
	record Header(String name, HeaderTemplate template) {
	}

}
