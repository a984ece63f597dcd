package dev.gatehouse.model.app;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever Gatehouse lets an anonymous client into is public in every app behind it, however that app routes
 * the raw request target. The apps are small reference readings of a target, written from their documented
 * behaviour, not from Gatehouse's code: a servlet container (Tomcat), the same case-insensitively (IIS,
 * ASP.NET), Go's net/http, and Node/Express (the raw path, and the WHATWG URL parser's dot resolution).
 */
class RequestPathPropertyTests {

	private static final List<String> PREFIXES = List.of("/private", "/PRIVATE", "/public", "/public/Docs",
			"/private/docs", "/public/private", "/caf", "/café");

	/** Pieces of paths that Gatehouse accepts, in several cases and encodings. */
	private static final List<String> PLAIN = List.of("private", "PRIVATE", "Private", "public", "Docs", "docs", "priv",
			"ate", "caf", "caf%C3%A9", "CAF%C3%89", "%C3%A9", "%c3%a9", "%20", "%25");

	/** Pieces that apps read differently: dots, empty segments, parameters, escapes, raw bytes, query, fragment. */
	private static final List<String> TRICKY = List.of("", ".", "..", "//", "%2e", "%2E%2e", ".%2e", "%2f", "%5c", ";x", ";",
			"%3b", "%2561", "%61", "%3F", "%23", "#", "?", "?a=/private", "\u00c3\u00a9", "\u00e9", "%C3",
			"caf\u00c3\u00a9", "Caf\u00c3\u00a9", "priv%2561te", "priv%61te", "private;x", "private%3Bx", ".;x", "..;",
			".json", "private.json", "PRIVATE.html", "private.", "private%20", "private.%20", "docs.x.json");

	private static final int TRIES = 4000;

	/**
	 * Generated cases from a fixed seed, so a failure reproduces; the coverage checks at the end keep the
	 * property from passing vacuously (too few allowed targets, or only plain ones that every app reads
	 * alike). Plain JUnit with {@link Random} rather than a property-testing library: see docs/path-model.md.
	 */
	@Test
	void whatGatehouseLetsAnAnonymousClientIntoIsPublicInEveryApp() {
		Random random = new Random(20261128L);
		List<String> violations = new ArrayList<>();
		int allowed = 0;
		int decoded = 0;
		for (int i = 0; i < TRIES; i++) {
			String target = target(random);
			Map<String, Access> rules = rules(random);
			if (!gatehouseAllows(target, rules)) {
				continue;
			}
			allowed++;
			if (!RequestPath.normalize(target).orElseThrow().equals(pathPart(target, true))) {
				decoded++;
			}
			for (App app : App.values()) {
				String path = app.route(target);
				if (path != null && !app.isPublic(path, rules)) {
					violations.add("%s routes %s as %s under rules %s".formatted(app, escaped(target), escaped(path), rules));
				}
			}
		}
		assertThat(violations).isEmpty();
		assertThat(allowed).as("allowed targets").isGreaterThanOrEqualTo(TRIES / 5);
		assertThat(decoded).as("allowed targets that needed decoding").isGreaterThanOrEqualTo(allowed / 4);
	}

	/** A raw target: one to five pieces, mostly plain, joined mostly by slashes. */
	private static String target(Random random) {
		StringBuilder target = new StringBuilder("/").append(piece(random));
		for (int i = random.nextInt(5); i > 0; i--) {
			target.append((random.nextInt(5) < 4) ? "/" : "").append(piece(random));
		}
		return target.toString();
	}

	private static String piece(Random random) {
		List<String> pieces = (random.nextInt(5) < 4) ? PLAIN : TRICKY;
		return pieces.get(random.nextInt(pieces.size()));
	}

	/** The root rule and any subset of the prefixes, each public or private at random. */
	private static Map<String, Access> rules(Random random) {
		Map<String, Access> rules = new LinkedHashMap<>();
		rules.put("/", random.nextBoolean() ? Access.PUBLIC : Access.PRIVATE);
		for (String prefix : PREFIXES) {
			if (random.nextBoolean()) {
				rules.put(prefix, random.nextBoolean() ? Access.PUBLIC : Access.PRIVATE);
			}
		}
		return rules;
	}

	/** Gatehouse's decision for an anonymous client: the path read and the rule chosen as in the auth service. */
	private static boolean gatehouseAllows(String target, Map<String, Access> rules) {
		Optional<String> path = RequestPath.normalize(target);
		if (path.isEmpty()) {
			return false;
		}
		List<Map.Entry<String, Access>> compiled = new ArrayList<>();
		rules.forEach((prefix, access) -> compiled.add(Map.entry(RequestPath.canonicalPrefix(prefix).orElseThrow(), access)));
		Map.Entry<String, Access> rule = PathRules.of(compiled, Map.Entry::getKey, Map.Entry::getValue).ruleFor(path.get());
		return rule != null && rule.getValue() == Access.PUBLIC;
	}

	/** How an app reads a raw target (one char per byte) and matches it against the prefixes of its routes. */
	enum App {

		/** Tomcat: strips {@code ;parameters}, decodes UTF-8, rejects encoded slashes, normalizes. */
		SERVLET(false, Form.UNICODE) {
			@Override
			String route(String target) {
				return servlet(target);
			}
		},

		/** IIS, ASP.NET: read like a servlet container, routed ignoring case. */
		SERVLET_IGNORING_CASE(true, Form.UNICODE) {
			@Override
			String route(String target) {
				return servlet(target);
			}
		},

		/**
		 * Go's net/http: the decoded path (ParseRequestURI splits no fragment off), cleaned ({@code ..} above the
		 * root stays at the root).
		 */
		GO(false, Form.BYTES) {
			@Override
			String route(String target) {
				String bytes = percentDecode(pathPart(target, false));
				return (bytes != null) ? resolve(List.of(bytes.split("/", -1)), true, false, true) : null;
			}
		},

		/** Rails: a servlet-like reading, and every route takes an optional {@code (.:format)} suffix. */
		RAILS(false, Form.UNICODE) {
			@Override
			String route(String target) {
				String path = servlet(target);
				if (path == null) {
					return null;
				}
				int dot = path.lastIndexOf('.');
				return (dot > path.lastIndexOf('/') + 1 && dot < path.length() - 1) ? path.substring(0, dot) : path;
			}
		},

		/** IIS: Windows drops trailing dots and spaces of a name, and routes ignoring case. */
		IIS(true, Form.UNICODE) {
			@Override
			String route(String target) {
				String path = servlet(target);
				if (path == null) {
					return null;
				}
				int end = path.length();
				while (end > path.lastIndexOf('/') + 1 && (path.charAt(end - 1) == '.' || path.charAt(end - 1) == ' ')) {
					end--;
				}
				return path.substring(0, end);
			}
		},

		/** Express: the raw path, not decoded, dot segments kept, routed ignoring case. */
		NODE_LITERAL(true, Form.BROWSER) {
			@Override
			String route(String target) {
				return pathPart(target, true);
			}
		},

		/**
		 * Express behind the WHATWG URL parser: dot segments resolved (also {@code %2e}), empty segments and escapes
		 * kept.
		 */
		NODE_RESOLVING_DOTS(true, Form.BROWSER) {
			@Override
			String route(String target) {
				return resolve(List.of(pathPart(target, true).split("/", -1)), false, true, true);
			}
		};

		private final boolean ignoreCase;

		private final Form form;

		App(boolean ignoreCase, Form form) {
			this.ignoreCase = ignoreCase;
			this.form = form;
		}

		/** The path the app routes on, or null when it refuses the target (400). */
		abstract String route(String target);

		/** Whether every longest prefix that matches the path, the way this app matches, is public. */
		boolean isPublic(String path, Map<String, Access> rules) {
			String routed = this.ignoreCase ? path.toLowerCase(Locale.ROOT) : path;
			int longest = -1;
			boolean allPublic = true;
			for (Map.Entry<String, Access> rule : rules.entrySet()) {
				String prefix = this.form.of(rule.getKey());
				prefix = this.ignoreCase ? prefix.toLowerCase(Locale.ROOT) : prefix;
				boolean matches = prefix.equals("/") || (routed.startsWith(prefix)
						&& (routed.length() == prefix.length() || routed.charAt(prefix.length()) == '/'));
				if (!matches || prefix.length() < longest) {
					continue;
				}
				allPublic = (prefix.length() > longest || allPublic) && rule.getValue() == Access.PUBLIC;
				longest = prefix.length();
			}
			return longest >= 0 && allPublic;
		}

	}

	/** How an app spells the prefix of a route it serves. */
	enum Form {

		/** As written: the app compares decoded Unicode paths. */
		UNICODE,

		/** As UTF-8 bytes: the app compares byte strings (Go). */
		BYTES,

		/** As a browser sends it, non-ASCII percent-encoded: the app compares the raw path (Express). */
		BROWSER;

		String of(String prefix) {
			byte[] utf8 = prefix.getBytes(StandardCharsets.UTF_8);
			return switch (this) {
				case UNICODE -> prefix;
				case BYTES -> new String(utf8, StandardCharsets.ISO_8859_1);
				case BROWSER -> {
					StringBuilder encoded = new StringBuilder();
					for (byte b : utf8) {
						encoded.append((b >= 0) ? String.valueOf((char) b) : "%%%02X".formatted(b & 0xff));
					}
					yield encoded.toString();
				}
			};
		}

	}

	/** Tomcat's reading, with its defaults: a 400 for what it does not accept. */
	private static String servlet(String target) {
		if (target.indexOf('#') >= 0) {
			return null;
		}
		List<String> segments = new ArrayList<>();
		for (String segment : pathPart(target, false).split("/", -1)) {
			int parameters = segment.indexOf(';');
			String bytes = percentDecode((parameters < 0) ? segment : segment.substring(0, parameters));
			if (bytes == null || bytes.indexOf('/') >= 0 || bytes.indexOf('\\') >= 0 || bytes.indexOf(0) >= 0) {
				return null;
			}
			String decoded = utf8(bytes);
			if (decoded == null) {
				return null;
			}
			segments.add(decoded);
		}
		return resolve(segments, true, false, false);
	}

	/** The path of a target: up to the query, and to a fragment when the app splits one off. */
	private static String pathPart(String target, boolean fragmentEnds) {
		int end = target.length();
		for (int i = 0; i < target.length(); i++) {
			char c = target.charAt(i);
			if (c == '?' || (fragmentEnds && c == '#')) {
				end = i;
				break;
			}
		}
		return target.substring(0, end);
	}

	/**
	 * Joins segments (the first is the empty one before the leading slash), folding empty segments when asked
	 * and resolving dot segments; {@code ..} above the root stays at the root when clamped, else the target is
	 * refused (null). With {@code whatwgDots}, {@code %2e} counts as a dot, as in the WHATWG URL standard.
	 */
	private static String resolve(List<String> segments, boolean foldEmpty, boolean whatwgDots, boolean clamp) {
		Deque<String> kept = new ArrayDeque<>();
		boolean directory = false;
		for (int i = 1; i < segments.size(); i++) {
			String segment = segments.get(i);
			String dots = whatwgDots ? segment.toLowerCase(Locale.ROOT).replace("%2e", ".") : segment;
			boolean last = i == segments.size() - 1;
			if (dots.equals(".") || (foldEmpty && segment.isEmpty())) {
				directory = last;
			}
			else if (dots.equals("..")) {
				if (kept.isEmpty() && !clamp) {
					return null;
				}
				kept.pollLast();
				directory = last;
			}
			else {
				kept.add(segment);
				directory = false;
			}
		}
		return "/" + String.join("/", kept) + ((directory && !kept.isEmpty()) ? "/" : "");
	}

	/** Percent-decodes into bytes (one char per byte); null for a malformed escape. */
	private static String percentDecode(String raw) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c == '%') {
				if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
						|| Character.digit(raw.charAt(i + 2), 16) < 0) {
					return null;
				}
				bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
				i += 2;
			}
			else {
				bytes.write(c);
			}
		}
		return bytes.toString(StandardCharsets.ISO_8859_1);
	}

	private static String utf8(String bytes) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes.getBytes(StandardCharsets.ISO_8859_1)))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	private static String escaped(String s) {
		StringBuilder out = new StringBuilder();
		for (char c : s.toCharArray()) {
			out.append((c < 0x20 || c >= 0x7f) ? "\\u%04x".formatted((int) c) : String.valueOf(c));
		}
		return out.toString();
	}

}
