package dev.gatehouse.model.signature;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

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
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RFC 8941 cases of {@code httpwg/structured-field-tests} (see the resources' README), one dynamic test
 * per case: a {@code must_fail} case is refused, every other case parses to the expected structure and
 * serializes to its canonical form; a {@code can_fail} case may do either.
 */
class StructuredFieldTests {

	private static final List<String> FILES = List.of("binary", "boolean", "dictionary", "examples", "item",
			"key-generated", "list", "listlist", "number", "number-generated", "param-dict", "param-list",
			"param-listlist", "string", "string-generated", "token", "token-generated");

	@TestFactory
	Stream<DynamicTest> everyRfc8941CaseOfTheStructuredFieldTestsHolds() {
		return FILES.stream().flatMap((file) -> {
			List<DynamicTest> tests = new ArrayList<>();
			for (JsonNode testCase : SignatureFixtures.json("structured-field-tests/" + file + ".json")) {
				tests.add(DynamicTest.dynamicTest(file + ": " + testCase.get("name").asString(), () -> check(testCase)));
			}
			return tests.stream();
		});
	}

	private static void check(JsonNode testCase) {
		List<String> raw = new ArrayList<>();
		testCase.get("raw").forEach((line) -> raw.add(line.asString()));
		String type = testCase.get("header_type").asString();
		Optional<Object> parsed = parse(type, String.join(", ", raw));
		boolean mustFail = testCase.path("must_fail").asBoolean(false);
		boolean canFail = testCase.path("can_fail").asBoolean(false);
		if (mustFail) {
			assertThat(parsed).as("must fail").isEmpty();
			return;
		}
		if (canFail && parsed.isEmpty()) {
			return;
		}
		assertThat(parsed).as("parses").isPresent();
		assertThat(parsed.get()).isEqualTo(expected(type, testCase.get("expected")));
		String canonical;
		if (testCase.has("canonical")) {
			List<String> lines = new ArrayList<>();
			testCase.get("canonical").forEach((line) -> lines.add(line.asString()));
			canonical = String.join(", ", lines);
		}
		else {
			canonical = String.join(", ", raw);
		}
		assertThat(serialize(type, parsed.get())).as("canonical form").isEqualTo(canonical);
	}

	@Test
	void labelsRepeatedInADictionaryOverwriteOrAreRefusedOnRequest() {
		assertThat(StructuredFieldParser.parseDictionary("a=1, b=2, a=3")).get()
			.isEqualTo(Map.of("a", new Item(new IntegerItem(3), Map.of()), "b", new Item(new IntegerItem(2), Map.of())));
		assertThat(StructuredFieldParser.parseDictionary("a=1, b=2, a=3", true)).isEmpty();
	}

	@Test
	void datesAndDisplayStringsOfRfc9651AreNotRfc8941() {
		assertThat(StructuredFieldParser.parseItem("@1659578233")).isEmpty();
		assertThat(StructuredFieldParser.parseItem("%\"f%c3%bc%c3%bc\"")).isEmpty();
	}

	@Test
	void pathologicalInputIsRefusedQuicklyAndNeverThrows() {
		String[] inputs = { "(".repeat(100_000), "a=(".repeat(30_000), "\"" + "\\\"".repeat(50_000),
				":" + "A".repeat(100_001), "a;b;c;".repeat(20_000), "1".repeat(100_000), "a=" + "-".repeat(100_000),
				"\u0000\uffff\ud800" };
		long start = System.nanoTime();
		for (String input : inputs) {
			assertThat(StructuredFieldParser.parseDictionary(input)).as(input.substring(0, Math.min(8, input.length()))).isEmpty();
			assertThat(StructuredFieldParser.parseList(input)).isEmpty();
			assertThat(StructuredFieldParser.parseItem(input)).isEmpty();
		}
		assertThat(System.nanoTime() - start).as("nanoseconds").isLessThan(2_000_000_000L);
	}

	private static Optional<Object> parse(String type, String input) {
		return switch (type) {
			case "dictionary" -> StructuredFieldParser.parseDictionary(input).map(Object.class::cast);
			case "list" -> StructuredFieldParser.parseList(input).map(Object.class::cast);
			case "item" -> StructuredFieldParser.parseItem(input).map(Object.class::cast);
			default -> throw new IllegalArgumentException(type);
		};
	}

	@SuppressWarnings("unchecked")
	private static String serialize(String type, Object value) {
		return switch (type) {
			case "dictionary" -> StructuredField.serializeDictionary((Map<String, Member>) value);
			case "list" -> StructuredField.serializeList((List<Member>) value);
			case "item" -> StructuredField.serializeMember((Item) value);
			default -> throw new IllegalArgumentException(type);
		};
	}

	private static Object expected(String type, JsonNode expected) {
		return switch (type) {
			case "dictionary" -> {
				Map<String, Member> dictionary = new LinkedHashMap<>();
				expected.forEach((entry) -> dictionary.put(entry.get(0).asString(), member(entry.get(1))));
				yield dictionary;
			}
			case "list" -> {
				List<Member> list = new ArrayList<>();
				expected.forEach((member) -> list.add(member(member)));
				yield list;
			}
			default -> item(expected);
		};
	}

	private static Member member(JsonNode member) {
		if (member.get(0).isArray()) {
			List<Item> items = new ArrayList<>();
			member.get(0).forEach((item) -> items.add(item(item)));
			return new InnerList(items, parameters(member.get(1)));
		}
		return item(member);
	}

	private static Item item(JsonNode item) {
		return new Item(bareItem(item.get(0)), parameters(item.get(1)));
	}

	private static Map<String, BareItem> parameters(JsonNode parameters) {
		Map<String, BareItem> map = new LinkedHashMap<>();
		parameters.forEach((parameter) -> map.put(parameter.get(0).asString(), bareItem(parameter.get(1))));
		return map;
	}

	private static BareItem bareItem(JsonNode value) {
		if (value.isIntegralNumber()) {
			return new IntegerItem(value.longValue());
		}
		if (value.isNumber()) {
			return new DecimalItem(value.decimalValue());
		}
		if (value.isString()) {
			return new StringItem(value.asString());
		}
		if (value.isBoolean()) {
			return new BooleanItem(value.booleanValue());
		}
		String typed = value.get("__type").asString();
		return switch (typed) {
			case "token" -> new TokenItem(value.get("value").asString());
			case "binary" -> new BytesItem(base32(value.get("value").asString()));
			default -> throw new IllegalArgumentException("unexpected type " + typed);
		};
	}

	private static byte[] base32(String encoded) {
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int buffer = 0;
		int bits = 0;
		for (char c : encoded.toCharArray()) {
			if (c == '=') {
				break;
			}
			buffer = (buffer << 5) | alphabet.indexOf(c);
			bits += 5;
			if (bits >= 8) {
				out.write((buffer >> (bits - 8)) & 0xff);
				bits -= 8;
			}
		}
		return out.toByteArray();
	}

}
