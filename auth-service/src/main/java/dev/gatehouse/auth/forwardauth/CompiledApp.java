package dev.gatehouse.auth.forwardauth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.gatehouse.model.app.Access;
import dev.gatehouse.model.app.App;
import dev.gatehouse.model.app.HeaderName;
import dev.gatehouse.model.app.HeaderTemplate;
import dev.gatehouse.model.app.PathRule;
import dev.gatehouse.model.app.PathRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An app ready for decisions: rules indexed for lookups by path, header templates parsed. Built once per app
 * version, when it enters L1.
 *
 * @param rules the rules, longest prefix first
 */
record CompiledApp(PathRules<Rule> rules) {

	private static final Logger logger = LoggerFactory.getLogger(CompiledApp.class);

	static CompiledApp compile(App app) {
		List<Rule> rules = new ArrayList<>(app.paths().size());
		for (Map.Entry<String, PathRule> entry : app.paths().entrySet()) {
			List<Header> headers = new ArrayList<>(entry.getValue().headers().size());
			entry.getValue().headers().forEach((name, template) -> {
				if (HeaderName.isRuleHeader(name)) {
					headers.add(new Header(name, HeaderTemplate.parse(template)));
				}
				else {
					// stored before the admin refused such names: a framing header would break the proxy's connection
					logger.warn("App {} sets header '{}' on {}, which rules may no longer set; it is not sent", app.name(),
							name, entry.getKey());
				}
			});
			rules.add(new Rule(entry.getKey(), entry.getValue().access(), List.copyOf(headers)));
		}
		return new CompiledApp(PathRules.of(rules, Rule::prefix, Rule::access));
	}

	/**
	 * The rule that applies to a path: the longest matching prefix, or the stricter rule when the app could
	 * route the path case-insensitively to another one (see {@link PathRules#ruleFor(String)}).
	 * @param path a path read by {@code RequestPath.normalize}
	 * @return the rule, or null when none applies (the request is refused)
	 */
	Rule ruleFor(String path) {
		return this.rules.ruleFor(path);
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
