package dev.gatehouse.model.app;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The path rules of one app, ready to pick the rule for a path read by {@link RequestPath#normalize(String)}.
 * <p>
 * Apps differ in case: Tomcat and Go route {@code /PRIVATE} apart from {@code /private}, Express, ASP.NET and
 * IIS route them together. So the longest prefix is looked up twice, case-sensitively and ignoring case, and
 * when the two lookups pick different rules the request must pass both: the stricter rule applies. No rule is
 * stricter than a credentialed one ({@link Access#PRIVATE}, {@link Access#PEER}), which is stricter than
 * {@link Access#PUBLIC}; a private and a peer rule ask for different credentials, so together they leave no
 * rule (the request is refused). Plain case-insensitive matching would not do: with {@code /api} private and
 * {@code /api/Docs} public, {@code /api/docs/secret} is served by a case-sensitive app under {@code /api}.
 * <p>
 * Apps also differ in suffixes: see {@link #ruleFor(String)}.
 * <p>
 * Lookups do not allocate: prefixes are compared in place, ignoring case as
 * {@link String#regionMatches(boolean, int, String, int, int)} does.
 *
 * @param <R> the caller's compiled rule
 */
public final class PathRules<R> {

	private final List<R> rules;

	private final String[] prefixes;

	private final Access[] access;

	private PathRules(List<R> rules, Function<? super R, String> prefix, Function<? super R, Access> access) {
		this.rules = rules;
		this.prefixes = new String[rules.size()];
		this.access = new Access[rules.size()];
		for (int i = 0; i < rules.size(); i++) {
			this.prefixes[i] = Objects.requireNonNull(prefix.apply(rules.get(i)), "prefix");
			this.access[i] = Objects.requireNonNull(access.apply(rules.get(i)), "access");
			if (this.prefixes[i].isEmpty() || this.prefixes[i].charAt(0) != '/') {
				throw new IllegalArgumentException("prefix must start with '/', not '%s'".formatted(this.prefixes[i]));
			}
		}
	}

	/**
	 * Compiles rules for lookups.
	 * @param <R> the caller's compiled rule
	 * @param rules the rules of one app, each with a distinct canonical prefix
	 * @param prefix the canonical prefix of a rule (see {@link RequestPath#canonicalPrefix(String)})
	 * @param access who may use the paths of a rule
	 * @return the rules, longest prefix first
	 */
	public static <R> PathRules<R> of(List<R> rules, Function<? super R, String> prefix,
			Function<? super R, Access> access) {
		List<R> sorted = new ArrayList<>(rules);
		sorted.sort(Comparator.comparingInt((R rule) -> prefix.apply(rule).length())
			.reversed()
			.thenComparing(prefix::apply));
		return new PathRules<>(List.copyOf(sorted), prefix, access);
	}

	/**
	 * The rules, longest prefix first.
	 * @return the rules
	 */
	public List<R> rules() {
		return this.rules;
	}

	/**
	 * The rule that applies to a path: the strictest of what the apps behind the proxy could route it to.
	 * Each reading is looked up case-sensitively and ignoring case (when both have the same access, the
	 * case-sensitive rule wins, whose headers an exactly routing app expects). The readings: the path as it
	 * is; without trailing dots and spaces of its last segment (IIS and ASP.NET serve {@code /private.} and
	 * {@code /private%20} as {@code /private}); and without a format suffix of its last segment (Rails routes
	 * carry an optional {@code (.:format)}, Spring's suffix patterns match {@code .*}: {@code /private.json}
	 * and {@code /private.tar.gz} are {@code /private}).
	 * @param path a path read by {@link RequestPath#normalize(String)}
	 * @return the rule, or null when none applies (the request is refused)
	 */
	public R ruleFor(String path) {
		int rule = lookup(path, path.length());
		int segment = path.lastIndexOf('/') + 1;
		int trimmed = path.length();
		while (trimmed > segment && (path.charAt(trimmed - 1) == '.' || path.charAt(trimmed - 1) == ' ')) {
			trimmed--;
		}
		if (trimmed < path.length() && rule >= 0) {
			rule = stricter(rule, lookup(path, trimmed));
		}
		// Rails takes the last dot's suffix as the format, Spring's suffix patterns anything after the first
		int lastDot = path.lastIndexOf('.', trimmed - 1);
		if (lastDot > segment && rule >= 0) {
			rule = stricter(rule, lookup(path, lastDot));
			int firstDot = path.indexOf('.', segment + 1);
			if (firstDot < lastDot && rule >= 0) {
				rule = stricter(rule, lookup(path, firstDot));
			}
		}
		return (rule < 0) ? null : this.rules.get(rule);
	}

	/** The rule for {@code path[0, end)}: the stricter of the longest exact and the longest case-folded match. */
	private int lookup(String path, int end) {
		int exact = -1;
		for (int i = 0; i < this.prefixes.length; i++) {
			if (matches(this.prefixes[i], path, end, false)) {
				exact = i;
				break;
			}
		}
		// the longest case-insensitive matches are at least as long as the exact one; several of the same
		// length (/Docs and /docs) must all be passed
		int folded = -1;
		for (int i = 0; i < this.prefixes.length; i++) {
			if (folded >= 0 && this.prefixes[i].length() < this.prefixes[folded].length()) {
				break;
			}
			if (matches(this.prefixes[i], path, end, true)) {
				folded = (folded < 0) ? i : stricter(folded, i);
				if (folded < 0) {
					return -1;
				}
			}
		}
		return stricter(exact, folded);
	}

	/** {@link RequestPath#matches(String, String, boolean)} on {@code path[0, end)}, without a substring. */
	private static boolean matches(String prefix, String path, int end, boolean ignoreCase) {
		if (prefix.length() == 1) {
			return true;
		}
		return prefix.length() <= end && path.regionMatches(ignoreCase, 0, prefix, 0, prefix.length())
				&& (end == prefix.length() || path.charAt(prefix.length()) == '/');
	}

	/** The stricter of two rules, by index; -1 (no rule) is the strictest. */
	private int stricter(int first, int second) {
		if (first == second) {
			return first;
		}
		if (first < 0 || second < 0) {
			return -1;
		}
		Access a = this.access[first];
		Access b = this.access[second];
		if (a == b) {
			return first;
		}
		if (a == Access.PUBLIC) {
			return second;
		}
		if (b == Access.PUBLIC) {
			return first;
		}
		return -1;
	}

}
