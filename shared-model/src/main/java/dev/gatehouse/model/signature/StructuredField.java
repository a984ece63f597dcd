package dev.gatehouse.model.signature;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The values of RFC 8941 structured fields (just the types {@code Signature-Input} and {@code Signature} need:
 * no dates, no display strings) and their canonical serialization (RFC 8941 §4.1), which the signature base
 * uses for component identifiers, {@code @signature-params} and {@code ;sf} / {@code ;key} field values.
 * Dictionaries are {@code Map<String, Member>} and lists {@code List<Member>}, both in field order;
 * parameters are {@code Map<String, BareItem>} in field order.
 */
final class StructuredField {

	private static final BigDecimal MAX_DECIMAL = new BigDecimal("999999999999.999");

	private static final long MAX_INTEGER = 999_999_999_999_999L;

	private StructuredField() {
	}

	/** A bare item: the value of an item or of a parameter. */
	sealed interface BareItem permits IntegerItem, DecimalItem, StringItem, TokenItem, BytesItem, BooleanItem {
	}

	record IntegerItem(long value) implements BareItem {
	}

	/** A decimal, kept without trailing zeros so that equal numbers are equal items. */
	record DecimalItem(BigDecimal value) implements BareItem {

		DecimalItem {
			value = value.stripTrailingZeros();
		}

	}

	record StringItem(String value) implements BareItem {

		StringItem {
			Objects.requireNonNull(value, "value");
		}

	}

	record TokenItem(String value) implements BareItem {

		TokenItem {
			Objects.requireNonNull(value, "value");
		}

	}

	record BytesItem(byte[] value) implements BareItem {

		BytesItem {
			Objects.requireNonNull(value, "value");
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof BytesItem bytes && Arrays.equals(this.value, bytes.value);
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(this.value);
		}

		@Override
		public String toString() {
			return "BytesItem[" + this.value.length + " bytes]";
		}

	}

	record BooleanItem(boolean value) implements BareItem {

		static final BooleanItem TRUE = new BooleanItem(true);

		static final BooleanItem FALSE = new BooleanItem(false);

	}

	/** A member of a list or dictionary: an item or an inner list, each with its parameters. */
	sealed interface Member permits Item, InnerList {

		Map<String, BareItem> parameters();

	}

	record Item(BareItem value, Map<String, BareItem> parameters) implements Member {

		Item {
			Objects.requireNonNull(value, "value");
			Objects.requireNonNull(parameters, "parameters");
		}

	}

	record InnerList(List<Item> items, Map<String, BareItem> parameters) implements Member {

		InnerList {
			Objects.requireNonNull(items, "items");
			Objects.requireNonNull(parameters, "parameters");
		}

	}

	static String serializeList(List<Member> list) {
		StringBuilder out = new StringBuilder();
		for (Member member : list) {
			if (!out.isEmpty()) {
				out.append(", ");
			}
			appendMember(out, member);
		}
		return out.toString();
	}

	static String serializeDictionary(Map<String, Member> dictionary) {
		StringBuilder out = new StringBuilder();
		dictionary.forEach((key, member) -> {
			if (!out.isEmpty()) {
				out.append(", ");
			}
			appendKey(out, key);
			if (member instanceof Item item && item.value() instanceof BooleanItem(boolean value) && value) {
				appendParameters(out, item.parameters());
			}
			else {
				out.append('=');
				appendMember(out, member);
			}
		});
		return out.toString();
	}

	static String serializeMember(Member member) {
		StringBuilder out = new StringBuilder();
		appendMember(out, member);
		return out.toString();
	}

	static void appendMember(StringBuilder out, Member member) {
		switch (member) {
			case Item item -> appendItem(out, item);
			case InnerList list -> appendInnerList(out, list);
		}
	}

	static void appendItem(StringBuilder out, Item item) {
		appendBareItem(out, item.value());
		appendParameters(out, item.parameters());
	}

	static void appendInnerList(StringBuilder out, InnerList list) {
		out.append('(');
		for (int i = 0; i < list.items().size(); i++) {
			if (i > 0) {
				out.append(' ');
			}
			appendItem(out, list.items().get(i));
		}
		out.append(')');
		appendParameters(out, list.parameters());
	}

	static void appendParameters(StringBuilder out, Map<String, BareItem> parameters) {
		parameters.forEach((key, value) -> {
			out.append(';');
			appendKey(out, key);
			if (!(value instanceof BooleanItem(boolean flag) && flag)) {
				out.append('=');
				appendBareItem(out, value);
			}
		});
	}

	static void appendBareItem(StringBuilder out, BareItem value) {
		switch (value) {
			case IntegerItem(long number) -> {
				requireSerializable(number >= -MAX_INTEGER && number <= MAX_INTEGER, "integer out of range: %s", number);
				out.append(number);
			}
			case DecimalItem(BigDecimal number) -> appendDecimal(out, number);
			case StringItem(String string) -> appendString(out, string);
			case TokenItem(String token) -> {
				requireSerializable(isToken(token), "not a token: %s", token);
				out.append(token);
			}
			case BytesItem bytes -> out.append(':').append(Base64.getEncoder().encodeToString(bytes.value())).append(':');
			case BooleanItem(boolean flag) -> out.append(flag ? "?1" : "?0");
		}
	}

	private static void appendDecimal(StringBuilder out, BigDecimal number) {
		BigDecimal rounded = number.setScale(3, RoundingMode.HALF_EVEN);
		requireSerializable(rounded.abs().compareTo(MAX_DECIMAL) <= 0, "decimal out of range: %s", number);
		String plain = rounded.toPlainString();
		int end = plain.length();
		while (plain.charAt(end - 1) == '0' && plain.charAt(end - 2) != '.') {
			end--;
		}
		out.append(plain, 0, end);
	}

	private static void appendString(StringBuilder out, String string) {
		out.append('"');
		for (int i = 0; i < string.length(); i++) {
			char c = string.charAt(i);
			requireSerializable(c >= 0x20 && c <= 0x7e, "not a printable ASCII string: %s", string);
			if (c == '"' || c == '\\') {
				out.append('\\');
			}
			out.append(c);
		}
		out.append('"');
	}

	private static void appendKey(StringBuilder out, String key) {
		requireSerializable(isKey(key), "not a key: %s", key);
		out.append(key);
	}

	static boolean isKey(String key) {
		if (key.isEmpty() || !(isLcAlpha(key.charAt(0)) || key.charAt(0) == '*')) {
			return false;
		}
		for (int i = 1; i < key.length(); i++) {
			if (!isKeyChar(key.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	static boolean isToken(String token) {
		if (token.isEmpty() || !(isAlpha(token.charAt(0)) || token.charAt(0) == '*')) {
			return false;
		}
		for (int i = 1; i < token.length(); i++) {
			char c = token.charAt(i);
			if (!(isTchar(c) || c == ':' || c == '/')) {
				return false;
			}
		}
		return true;
	}

	static boolean isLcAlpha(char c) {
		return c >= 'a' && c <= 'z';
	}

	static boolean isAlpha(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	}

	static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	static boolean isKeyChar(char c) {
		return isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*';
	}

	/** RFC 9110 {@code tchar}. */
	static boolean isTchar(char c) {
		if (isAlpha(c) || isDigit(c)) {
			return true;
		}
		return switch (c) {
			case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
			default -> false;
		};
	}

	private static void requireSerializable(boolean condition, String message, Object value) {
		if (!condition) {
			throw new IllegalArgumentException(message.formatted(value));
		}
	}

}
