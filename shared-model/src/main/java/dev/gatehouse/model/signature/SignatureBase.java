package dev.gatehouse.model.signature;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.gatehouse.model.signature.StructuredField.BareItem;
import dev.gatehouse.model.signature.StructuredField.BooleanItem;
import dev.gatehouse.model.signature.StructuredField.InnerList;
import dev.gatehouse.model.signature.StructuredField.Item;
import dev.gatehouse.model.signature.StructuredField.Member;
import dev.gatehouse.model.signature.StructuredField.StringItem;

/**
 * The signature base of RFC 9421 §2.5, the one implementation both the verifier and the signer use: one line
 * per covered component, in the order listed, then the {@code @signature-params} line, which is the canonical
 * serialization of the covered components and the signature parameters.
 * <p>
 * Supported: the derived components {@code @method}, {@code @target-uri}, {@code @authority},
 * {@code @scheme}, {@code @request-target} (origin form), {@code @path}, {@code @query} and
 * {@code @query-param;name=...}; header fields, plain or with {@code ;sf} (for the fields whose structured
 * type is known, below), {@code ;key} (a dictionary member) or {@code ;bs}. Refused, never guessed: any other
 * derived component or parameter ({@code @status}, {@code ;req}, {@code ;tr}), a component listed twice, a
 * component absent from the request, and a value that is not printable ASCII.
 */
final class SignatureBase {

	enum FieldType {
		LIST, DICTIONARY, ITEM
	}

	/**
	 * Fields whose structured type is registered (IANA HTTP Field Name registry, "Structured Type"), so that
	 * {@code ;sf} can re-serialize them; {@code ;sf} on any other field is refused.
	 */
	private static final Map<String, FieldType> STRUCTURED_FIELDS = Map.ofEntries(
			Map.entry("accept-ch", FieldType.LIST), Map.entry("accept-signature", FieldType.DICTIONARY),
			Map.entry("cache-status", FieldType.LIST), Map.entry("cdn-cache-control", FieldType.DICTIONARY),
			Map.entry("client-cert", FieldType.ITEM), Map.entry("client-cert-chain", FieldType.LIST),
			Map.entry("content-digest", FieldType.DICTIONARY), Map.entry("priority", FieldType.DICTIONARY),
			Map.entry("proxy-status", FieldType.LIST), Map.entry("repr-digest", FieldType.DICTIONARY),
			Map.entry("signature", FieldType.DICTIONARY), Map.entry("signature-input", FieldType.DICTIONARY),
			Map.entry("want-content-digest", FieldType.DICTIONARY),
			Map.entry("want-repr-digest", FieldType.DICTIONARY));

	private static final Set<String> DERIVED = Set.of("@method", "@target-uri", "@authority", "@scheme",
			"@request-target", "@path", "@query", "@query-param");

	private static final String SIGNATURE_PARAMS = "\"@signature-params\": ";

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private SignatureBase() {
	}

	/**
	 * Builds the signature base.
	 * @param request the request
	 * @param signatureParams the covered components and signature parameters, as in {@code Signature-Input}
	 * @return the base, ASCII
	 * @throws Refusal when a component cannot be resolved
	 */
	static byte[] build(SignedRequest request, InnerList signatureParams) {
		List<Item> covered = signatureParams.items();
		StringBuilder base = new StringBuilder(128 + 64 * covered.size());
		for (int i = 0; i < covered.size(); i++) {
			Item component = covered.get(i);
			if (!(component.value() instanceof StringItem(String name))) {
				throw new Refusal(RefusalReason.MALFORMED_PARAMETERS, "a covered component is not a string");
			}
			for (int j = 0; j < i; j++) {
				// parameter order is not significant when comparing identifiers (§2); map equality ignores it
				if (covered.get(j).equals(component)) {
					throw new Refusal(RefusalReason.DUPLICATE_COMPONENT, "component listed twice: " + name);
				}
			}
			StructuredField.appendItem(base, component);
			base.append(": ");
			if (name.startsWith("@")) {
				appendDerived(base, request, name, component.parameters());
			}
			else {
				appendField(base, request, name, component.parameters());
			}
			base.append('\n');
		}
		base.append(SIGNATURE_PARAMS);
		StructuredField.appendInnerList(base, signatureParams);
		for (int i = 0; i < base.length(); i++) {
			char c = base.charAt(i);
			if (c > 0x7e || (c < 0x20 && c != '\n' && c != '\t')) {
				throw new Refusal(RefusalReason.INVALID_COMPONENT_VALUE, "the signature base is not ASCII");
			}
		}
		return base.toString().getBytes(StandardCharsets.ISO_8859_1);
	}

	/**
	 * Whether a name can name a component: a supported derived component or a lower-case field name.
	 * @param name the name
	 * @return whether it can
	 */
	static boolean isComponentName(String name) {
		if (name.startsWith("@")) {
			return DERIVED.contains(name);
		}
		if (name.isEmpty()) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (!StructuredField.isTchar(c) || (c >= 'A' && c <= 'Z')) {
				return false;
			}
		}
		return true;
	}

	private static void appendDerived(StringBuilder base, SignedRequest request, String name,
			Map<String, BareItem> parameters) {
		if (name.equals("@query-param")) {
			if (parameters.size() != 1 || !(parameters.get("name") instanceof StringItem(String parameter))) {
				throw new Refusal(RefusalReason.UNSUPPORTED_COMPONENT, "@query-param takes exactly a string name");
			}
			appendDerivedValue(base, queryParam(request.query(), parameter));
			return;
		}
		if (!parameters.isEmpty()) {
			throw new Refusal(RefusalReason.UNSUPPORTED_COMPONENT,
					"unsupported parameters on " + name + ": " + parameters.keySet());
		}
		String value = switch (name) {
			case "@method" -> request.method();
			case "@target-uri" -> request.targetUri();
			case "@authority" -> request.authority();
			case "@scheme" -> request.scheme();
			case "@request-target" -> request.requestTarget();
			case "@path" -> request.path();
			case "@query" -> (request.query() != null) ? "?" + request.query() : "?";
			default -> throw new Refusal(RefusalReason.UNSUPPORTED_COMPONENT, "unsupported component " + name);
		};
		appendDerivedValue(base, value);
	}

	private static void appendDerivedValue(StringBuilder base, String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c > 0x7e) {
				throw new Refusal(RefusalReason.INVALID_COMPONENT_VALUE, "a derived component is not printable ASCII");
			}
		}
		base.append(value);
	}

	private static void appendField(StringBuilder base, SignedRequest request, String name,
			Map<String, BareItem> parameters) {
		if (!isComponentName(name)) {
			throw new Refusal(RefusalReason.UNSUPPORTED_COMPONENT, "not a lower-case field name: " + name);
		}
		boolean sf = false;
		boolean bs = false;
		String key = null;
		for (Map.Entry<String, BareItem> parameter : parameters.entrySet()) {
			BareItem value = parameter.getValue();
			switch (parameter.getKey()) {
				case "sf" -> sf = isTrue(value, "sf");
				case "bs" -> bs = isTrue(value, "bs");
				case "key" -> {
					if (!(value instanceof StringItem(String member))) {
						throw new Refusal(RefusalReason.UNSUPPORTED_COMPONENT, "key must be a string on " + name);
					}
					key = member;
				}
				default -> throw new Refusal(RefusalReason.UNSUPPORTED_COMPONENT,
						"unsupported parameter " + parameter.getKey() + " on " + name);
			}
		}
		if (bs && (sf || key != null)) {
			throw new Refusal(RefusalReason.UNSUPPORTED_COMPONENT, "bs cannot be combined with sf or key on " + name);
		}
		List<String> lines = request.fields().values(name);
		if (lines == null || lines.isEmpty()) {
			throw new Refusal(RefusalReason.MISSING_COMPONENT, "no field " + name);
		}
		if (bs) {
			appendByteSequences(base, lines);
			return;
		}
		String value = combine(lines);
		if (key != null) {
			FieldType type = STRUCTURED_FIELDS.get(name);
			if (type != null && type != FieldType.DICTIONARY) {
				throw new Refusal(RefusalReason.UNSUPPORTED_COMPONENT, name + " is not a dictionary");
			}
			Member member = StructuredFieldParser.parseDictionary(value)
				.orElseThrow(() -> new Refusal(RefusalReason.INVALID_COMPONENT_VALUE, name + " is not a dictionary"))
				.get(key);
			if (member == null) {
				throw new Refusal(RefusalReason.MISSING_COMPONENT, name + " has no member " + key);
			}
			StructuredField.appendMember(base, member);
		}
		else if (sf) {
			base.append(strictlySerialized(name, value));
		}
		else {
			base.append(value);
		}
	}

	private static boolean isTrue(BareItem value, String parameter) {
		if (!(value instanceof BooleanItem(boolean flag)) || !flag) {
			throw new Refusal(RefusalReason.UNSUPPORTED_COMPONENT, parameter + " must be a true flag");
		}
		return true;
	}

	private static String strictlySerialized(String name, String value) {
		FieldType type = STRUCTURED_FIELDS.get(name);
		if (type == null) {
			throw new Refusal(RefusalReason.UNSUPPORTED_COMPONENT, "the structured type of " + name + " is unknown");
		}
		Optional<String> serialized = switch (type) {
			case DICTIONARY -> StructuredFieldParser.parseDictionary(value).map(StructuredField::serializeDictionary);
			case LIST -> StructuredFieldParser.parseList(value).map(StructuredField::serializeList);
			case ITEM -> StructuredFieldParser.parseItem(value).map(StructuredField::serializeMember);
		};
		return serialized.orElseThrow(() -> new Refusal(RefusalReason.INVALID_COMPONENT_VALUE,
				name + " is not a valid " + type.name().toLowerCase(Locale.ROOT)));
	}

	/** The field lines, each trimmed and unfolded, joined by {@code ", "} (§2.1). */
	static String combine(List<String> lines) {
		if (lines.size() == 1) {
			return canonicalLine(lines.get(0));
		}
		StringBuilder combined = new StringBuilder();
		for (String line : lines) {
			if (!combined.isEmpty()) {
				combined.append(", ");
			}
			combined.append(canonicalLine(line));
		}
		return combined.toString();
	}

	/**
	 * One field line with leading and trailing whitespace removed and obsolete line folding replaced by a
	 * single space. Any other CR or LF is refused: it would forge a line of the signature base.
	 */
	private static String canonicalLine(String line) {
		int start = 0;
		int end = line.length();
		while (start < end && isWhitespace(line.charAt(start))) {
			start++;
		}
		while (end > start && isWhitespace(line.charAt(end - 1))) {
			end--;
		}
		boolean folded = false;
		for (int i = start; i < end; i++) {
			char c = line.charAt(i);
			if (c == '\r' || c == '\n') {
				folded = true;
				break;
			}
		}
		if (!folded) {
			return (start == 0 && end == line.length()) ? line : line.substring(start, end);
		}
		StringBuilder out = new StringBuilder(end - start);
		int i = start;
		while (i < end) {
			char c = line.charAt(i);
			if (c != '\r' && c != '\n') {
				out.append(c);
				i++;
				continue;
			}
			// obs-fold = OWS CRLF RWS: the whole fold becomes one space
			if (c == '\r' && i + 1 < end && line.charAt(i + 1) == '\n') {
				i++;
			}
			i++;
			if (i >= end || !isWhitespace(line.charAt(i))) {
				throw new Refusal(RefusalReason.INVALID_COMPONENT_VALUE, "a field value contains a line break");
			}
			while (i < end && isWhitespace(line.charAt(i))) {
				i++;
			}
			while (!out.isEmpty() && isWhitespace(out.charAt(out.length() - 1))) {
				out.setLength(out.length() - 1);
			}
			out.append(' ');
		}
		return out.toString();
	}

	private static void appendByteSequences(StringBuilder base, List<String> lines) {
		for (int i = 0; i < lines.size(); i++) {
			String line = canonicalLine(lines.get(i));
			byte[] bytes = new byte[line.length()];
			for (int j = 0; j < line.length(); j++) {
				char c = line.charAt(j);
				if (c > 0xff) {
					throw new Refusal(RefusalReason.INVALID_COMPONENT_VALUE, "a field value is not one char per byte");
				}
				bytes[j] = (byte) c;
			}
			if (i > 0) {
				base.append(", ");
			}
			base.append(':').append(Base64.getEncoder().encodeToString(bytes)).append(':');
		}
	}

	private static boolean isWhitespace(char c) {
		return c == ' ' || c == '\t';
	}

	/**
	 * The value of the one query parameter whose name, decoded and re-encoded, is {@code name} (§2.2.8): the
	 * query is parsed as {@code application/x-www-form-urlencoded} (WHATWG URL), and name and value are
	 * re-encoded with that percent-encode set, spaces as {@code %20}. A parameter that occurs twice is refused.
	 */
	static String queryParam(String query, String name) {
		if (query == null) {
			throw new Refusal(RefusalReason.MISSING_COMPONENT, "no query");
		}
		String found = null;
		int start = 0;
		while (start <= query.length()) {
			int end = query.indexOf('&', start);
			if (end < 0) {
				end = query.length();
			}
			if (end > start) {
				int equals = query.indexOf('=', start);
				if (equals < 0 || equals > end) {
					equals = end;
				}
				if (formReencode(query, start, equals).equals(name)) {
					if (found != null) {
						throw new Refusal(RefusalReason.INVALID_COMPONENT_VALUE, "query parameter repeated: " + name);
					}
					found = formReencode(query, Math.min(equals + 1, end), end);
				}
			}
			start = end + 1;
		}
		if (found == null) {
			throw new Refusal(RefusalReason.MISSING_COMPONENT, "no query parameter " + name);
		}
		return found;
	}

	/**
	 * Decodes part of a query as form data (plus is space, percent-escapes are bytes, bytes are UTF-8 with
	 * replacement) and encodes it again with the form percent-encode set. The query is read one char per byte
	 * (chars above 0xFF, which raw requests cannot carry, as their UTF-8).
	 */
	private static String formReencode(String query, int from, int to) {
		byte[] bytes = new byte[(to - from) * 3];
		int length = 0;
		for (int i = from; i < to; i++) {
			char c = query.charAt(i);
			if (c == '+') {
				bytes[length++] = ' ';
			}
			else if (c == '%' && hex(query, i + 1, to) >= 0 && hex(query, i + 2, to) >= 0) {
				bytes[length++] = (byte) (hex(query, i + 1, to) * 16 + hex(query, i + 2, to));
				i += 2;
			}
			else if (c <= 0xff) {
				bytes[length++] = (byte) c;
			}
			else {
				byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
				System.arraycopy(utf8, 0, bytes, length, utf8.length);
				length += utf8.length;
			}
		}
		byte[] decoded = new String(bytes, 0, length, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
		StringBuilder encoded = new StringBuilder(decoded.length);
		for (byte b : decoded) {
			char c = (char) (b & 0xff);
			if (StructuredField.isAlpha(c) || StructuredField.isDigit(c) || c == '*' || c == '-' || c == '.' || c == '_') {
				encoded.append(c);
			}
			else {
				encoded.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
			}
		}
		return encoded.toString();
	}

	private static int hex(String s, int index, int limit) {
		if (index >= limit) {
			return -1;
		}
		char c = s.charAt(index);
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'A' && c <= 'F') {
			return c - 'A' + 10;
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		return -1;
	}

}
