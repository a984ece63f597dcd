package dev.gatehouse.model.app;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A compiled header-value template: literal text with {@code {{ variable }}} placeholders.
 * <p>
 * Parsing happens once, when an app is loaded; rendering only concatenates. Rendered values
 * never contain control characters (each becomes a space), so no value can split a header; the auth tier
 * then sends them through {@link HeaderValueEncoding}, so any text survives the trip.
 */
public final class HeaderTemplate {

	private static final String OPEN = "{{";

	private static final String CLOSE = "}}";

	/** Each element is a literal {@code String} or a {@link TemplateVariable}. */
	private final Object[] parts;

	private HeaderTemplate(Object[] parts) {
		this.parts = parts;
	}

	/**
	 * Compiles a template.
	 * @param source the template text, e.g. {@code "Hello {{ auth.client_name }}"}
	 * @return the compiled template
	 * @throws IllegalArgumentException when a placeholder is unclosed, empty or unknown
	 */
	public static HeaderTemplate parse(String source) {
		if (source == null) {
			throw new IllegalArgumentException("a header template must not be null");
		}
		List<Object> parts = new ArrayList<>();
		int position = 0;
		while (position < source.length()) {
			int open = source.indexOf(OPEN, position);
			if (open < 0) {
				parts.add(source.substring(position));
				break;
			}
			if (open > position) {
				parts.add(source.substring(position, open));
			}
			int close = source.indexOf(CLOSE, open + OPEN.length());
			if (close < 0) {
				throw new IllegalArgumentException("unclosed '{{' at offset %d in template '%s'".formatted(open, source));
			}
			String expression = source.substring(open + OPEN.length(), close).strip();
			TemplateVariable variable = TemplateVariable.fromExpression(expression);
			if (variable == null) {
				throw new IllegalArgumentException("unknown template variable '%s' in template '%s'; known: %s"
					.formatted(expression, source, knownExpressions()));
			}
			parts.add(variable);
			position = close + CLOSE.length();
		}
		for (int i = 0; i < parts.size(); i++) {
			if (parts.get(i) instanceof String literal) {
				parts.set(i, headerSafe(literal));
			}
		}
		return new HeaderTemplate(parts.toArray());
	}

	/**
	 * Renders the template.
	 * @param values the value of each variable (never null)
	 * @return the header value, free of control characters
	 */
	public String render(Function<TemplateVariable, String> values) {
		if (this.parts.length == 1) {
			return (this.parts[0] instanceof String literal) ? literal
					: headerSafe(values.apply((TemplateVariable) this.parts[0]));
		}
		StringBuilder value = new StringBuilder(64);
		for (Object part : this.parts) {
			if (part instanceof TemplateVariable variable) {
				value.append(headerSafe(values.apply(variable)));
			}
			else {
				value.append((String) part);
			}
		}
		return value.toString();
	}

	/**
	 * The longest header value this template can produce once rendered and passed through
	 * {@link HeaderValueEncoding#encode(String)}, with every variable at its {@link TemplateVariable#maxLength()}.
	 * <p>
	 * A template without variables renders to itself, so its size is exact. Otherwise the worst case is an
	 * encoded value: the marker, each literal UTF-8 byte as one character (attr-char) or three ({@code %XX}), and
	 * each variable at its {@link TemplateVariable#maxEncodedLength()}.
	 * @return the bound, in characters; the value is ASCII, so also in bytes
	 */
	public int maxRenderedLength() {
		StringBuilder literals = new StringBuilder();
		int variables = 0;
		boolean hasVariables = false;
		for (Object part : this.parts) {
			if (part instanceof TemplateVariable variable) {
				variables += variable.maxEncodedLength();
				hasVariables = true;
			}
			else {
				literals.append((String) part);
			}
		}
		if (!hasVariables) {
			return HeaderValueEncoding.encode(literals.toString()).length();
		}
		return HeaderValueEncoding.encodedLength(literals.toString()) + variables;
	}

	/**
	 * Replaces every control character (including CR and LF) with a space.
	 * @param value any string
	 * @return a string that can stand in an HTTP header value
	 */
	public static String headerSafe(String value) {
		for (int i = 0; i < value.length(); i++) {
			if (isControl(value.charAt(i))) {
				StringBuilder safe = new StringBuilder(value);
				for (int j = i; j < safe.length(); j++) {
					if (isControl(safe.charAt(j))) {
						safe.setCharAt(j, ' ');
					}
				}
				return safe.toString();
			}
		}
		return value;
	}

	private static boolean isControl(char c) {
		return c < 0x20 || c == 0x7f;
	}

	private static List<String> knownExpressions() {
		return Arrays.stream(TemplateVariable.values()).map(TemplateVariable::expression).toList();
	}

}
