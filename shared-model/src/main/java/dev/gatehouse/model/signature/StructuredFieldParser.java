package dev.gatehouse.model.signature;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gatehouse.model.signature.StructuredField.BareItem;
import dev.gatehouse.model.signature.StructuredField.BooleanItem;
import dev.gatehouse.model.signature.StructuredField.BytesItem;
import dev.gatehouse.model.signature.StructuredField.DecimalItem;
import dev.gatehouse.model.signature.StructuredField.InnerList;
import dev.gatehouse.model.signature.StructuredField.IntegerItem;
import dev.gatehouse.model.signature.StructuredField.Item;
import dev.gatehouse.model.signature.StructuredField.Member;
import dev.gatehouse.model.signature.StructuredField.StringItem;
import dev.gatehouse.model.signature.StructuredField.TokenItem;

/**
 * A strict RFC 8941 parser (§4.2): one pass, no backtracking and no recursion (inner lists do not nest), so
 * its cost is linear in the input, whatever the input. Malformed input gives an empty result, never an
 * exception. The caller bounds the input's length.
 */
final class StructuredFieldParser {

	private final String input;

	private int position;

	private final boolean rejectDuplicateKeys;

	private StructuredFieldParser(String input, boolean rejectDuplicateKeys) {
		this.input = input;
		this.rejectDuplicateKeys = rejectDuplicateKeys;
	}

	/**
	 * Parses a dictionary, where a later duplicate key overwrites the earlier value in place (RFC 8941).
	 * @param field the combined field value
	 * @return the dictionary, empty when malformed
	 */
	static Optional<Map<String, Member>> parseDictionary(String field) {
		return parseDictionary(field, false);
	}

	/**
	 * Parses a dictionary.
	 * @param field the combined field value
	 * @param rejectDuplicateKeys whether a repeated key makes the field malformed (signature labels must be
	 * unique, RFC 9421 §4)
	 * @return the dictionary, empty when malformed
	 */
	static Optional<Map<String, Member>> parseDictionary(String field, boolean rejectDuplicateKeys) {
		StructuredFieldParser parser = new StructuredFieldParser(field, rejectDuplicateKeys);
		try {
			parser.skipSpaces();
			Map<String, Member> dictionary = parser.dictionary();
			parser.end();
			return Optional.of(dictionary);
		}
		catch (Malformed ex) {
			return Optional.empty();
		}
	}

	static Optional<List<Member>> parseList(String field) {
		StructuredFieldParser parser = new StructuredFieldParser(field, false);
		try {
			parser.skipSpaces();
			List<Member> list = parser.list();
			parser.end();
			return Optional.of(list);
		}
		catch (Malformed ex) {
			return Optional.empty();
		}
	}

	static Optional<Item> parseItem(String field) {
		StructuredFieldParser parser = new StructuredFieldParser(field, false);
		try {
			parser.skipSpaces();
			Item item = parser.item();
			parser.end();
			return Optional.of(item);
		}
		catch (Malformed ex) {
			return Optional.empty();
		}
	}

	private void end() {
		skipSpaces();
		if (!atEnd()) {
			throw Malformed.INSTANCE;
		}
	}

	private List<Member> list() {
		List<Member> members = new ArrayList<>();
		while (!atEnd()) {
			members.add(member());
			skipOptionalWhitespace();
			if (atEnd()) {
				return members;
			}
			expect(',');
			skipOptionalWhitespace();
			if (atEnd()) {
				throw Malformed.INSTANCE;
			}
		}
		return members;
	}

	private Map<String, Member> dictionary() {
		Map<String, Member> members = new LinkedHashMap<>();
		while (!atEnd()) {
			String key = key();
			Member member;
			if (peek() == '=') {
				this.position++;
				member = member();
			}
			else {
				member = new Item(BooleanItem.TRUE, parameters());
			}
			if (members.put(key, member) != null && this.rejectDuplicateKeys) {
				throw Malformed.INSTANCE;
			}
			skipOptionalWhitespace();
			if (atEnd()) {
				return members;
			}
			expect(',');
			skipOptionalWhitespace();
			if (atEnd()) {
				throw Malformed.INSTANCE;
			}
		}
		return members;
	}

	private Member member() {
		return (peek() == '(') ? innerList() : item();
	}

	private InnerList innerList() {
		expect('(');
		List<Item> items = new ArrayList<>();
		while (!atEnd()) {
			skipSpaces();
			if (peek() == ')') {
				this.position++;
				return new InnerList(List.copyOf(items), parameters());
			}
			items.add(item());
			char next = peek();
			if (next != ' ' && next != ')') {
				throw Malformed.INSTANCE;
			}
		}
		throw Malformed.INSTANCE;
	}

	private Item item() {
		BareItem value = bareItem();
		return new Item(value, parameters());
	}

	private Map<String, BareItem> parameters() {
		Map<String, BareItem> parameters = null;
		while (peek() == ';') {
			this.position++;
			skipSpaces();
			String key = key();
			BareItem value = BooleanItem.TRUE;
			if (peek() == '=') {
				this.position++;
				value = bareItem();
			}
			if (parameters == null) {
				parameters = new LinkedHashMap<>(4);
			}
			parameters.put(key, value);
		}
		return (parameters != null) ? parameters : Map.of();
	}

	private String key() {
		int start = this.position;
		char first = peek();
		if (!StructuredField.isLcAlpha(first) && first != '*') {
			throw Malformed.INSTANCE;
		}
		this.position++;
		while (!atEnd() && StructuredField.isKeyChar(this.input.charAt(this.position))) {
			this.position++;
		}
		return this.input.substring(start, this.position);
	}

	private BareItem bareItem() {
		char first = peek();
		if (first == '-' || StructuredField.isDigit(first)) {
			return number();
		}
		if (first == '"') {
			return string();
		}
		if (first == '*' || StructuredField.isAlpha(first)) {
			return token();
		}
		if (first == ':') {
			return bytes();
		}
		if (first == '?') {
			return booleanItem();
		}
		throw Malformed.INSTANCE;
	}

	private BareItem number() {
		boolean negative = false;
		if (peek() == '-') {
			negative = true;
			this.position++;
		}
		if (!StructuredField.isDigit(peek())) {
			throw Malformed.INSTANCE;
		}
		int start = this.position;
		int dot = -1;
		while (!atEnd()) {
			char c = this.input.charAt(this.position);
			if (StructuredField.isDigit(c)) {
				this.position++;
			}
			else if (c == '.' && dot < 0) {
				if (this.position - start > 12) {
					throw Malformed.INSTANCE;
				}
				dot = this.position;
				this.position++;
			}
			else {
				break;
			}
			int length = this.position - start;
			if ((dot < 0 && length > 15) || (dot >= 0 && length > 16)) {
				throw Malformed.INSTANCE;
			}
		}
		String digits = this.input.substring(start, this.position);
		if (dot < 0) {
			long value = Long.parseLong(digits);
			return new IntegerItem(negative ? -value : value);
		}
		int fraction = this.position - dot - 1;
		if (fraction == 0 || fraction > 3) {
			throw Malformed.INSTANCE;
		}
		BigDecimal value = new BigDecimal(digits);
		return new DecimalItem(negative ? value.negate() : value);
	}

	private StringItem string() {
		expect('"');
		StringBuilder out = null;
		int start = this.position;
		while (!atEnd()) {
			char c = this.input.charAt(this.position++);
			if (c == '\\') {
				if (atEnd()) {
					throw Malformed.INSTANCE;
				}
				char escaped = this.input.charAt(this.position++);
				if (escaped != '"' && escaped != '\\') {
					throw Malformed.INSTANCE;
				}
				if (out == null) {
					out = new StringBuilder(this.input.length() - start);
					out.append(this.input, start, this.position - 2);
				}
				out.append(escaped);
			}
			else if (c == '"') {
				return new StringItem((out != null) ? out.toString() : this.input.substring(start, this.position - 1));
			}
			else if (c < 0x20 || c > 0x7e) {
				throw Malformed.INSTANCE;
			}
			else if (out != null) {
				out.append(c);
			}
		}
		throw Malformed.INSTANCE;
	}

	private TokenItem token() {
		int start = this.position;
		this.position++;
		while (!atEnd()) {
			char c = this.input.charAt(this.position);
			if (!StructuredField.isTchar(c) && c != ':' && c != '/') {
				break;
			}
			this.position++;
		}
		return new TokenItem(this.input.substring(start, this.position));
	}

	private BytesItem bytes() {
		expect(':');
		int start = this.position;
		int end = this.input.indexOf(':', start);
		if (end < 0) {
			throw Malformed.INSTANCE;
		}
		for (int i = start; i < end; i++) {
			char c = this.input.charAt(i);
			if (!(StructuredField.isAlpha(c) || StructuredField.isDigit(c) || c == '+' || c == '/' || c == '=')) {
				throw Malformed.INSTANCE;
			}
		}
		this.position = end + 1;
		try {
			return new BytesItem(Base64.getDecoder().decode(this.input.substring(start, end)));
		}
		catch (IllegalArgumentException ex) {
			throw Malformed.INSTANCE;
		}
	}

	private BooleanItem booleanItem() {
		expect('?');
		char c = peek();
		this.position++;
		if (c == '1') {
			return BooleanItem.TRUE;
		}
		if (c == '0') {
			return BooleanItem.FALSE;
		}
		throw Malformed.INSTANCE;
	}

	private void expect(char expected) {
		if (peek() != expected) {
			throw Malformed.INSTANCE;
		}
		this.position++;
	}

	/** The next char, or NUL at the end (NUL starts no production, so it fails every expectation). */
	private char peek() {
		return atEnd() ? 0 : this.input.charAt(this.position);
	}

	private boolean atEnd() {
		return this.position >= this.input.length();
	}

	private void skipSpaces() {
		while (!atEnd() && this.input.charAt(this.position) == ' ') {
			this.position++;
		}
	}

	private void skipOptionalWhitespace() {
		while (!atEnd() && (this.input.charAt(this.position) == ' ' || this.input.charAt(this.position) == '\t')) {
			this.position++;
		}
	}

	/** Malformed input: a shared, stackless signal that never leaves this class. */
	private static final class Malformed extends RuntimeException {

		private static final long serialVersionUID = 1L;

		static final Malformed INSTANCE = new Malformed();

		private Malformed() {
			super("malformed structured field", null, false, false);
		}

	}

}
