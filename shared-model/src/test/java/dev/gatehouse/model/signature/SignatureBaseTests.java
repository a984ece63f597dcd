package dev.gatehouse.model.signature;

import java.nio.charset.StandardCharsets;

import dev.gatehouse.model.signature.StructuredField.InnerList;
import dev.gatehouse.model.signature.StructuredField.Member;
import org.junit.jupiter.api.Test;

import static dev.gatehouse.model.signature.SignatureFixtures.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The signature base (RFC 9421 §2.5) line by line, against the RFC's own examples of component values
 * (§2.1-§2.2) and its Appendix B bases, and the refusals §2.5 requires.
 */
class SignatureBaseTests {

	private static final SignedRequest FIELDS_EXAMPLE = SignedRequest.of("GET", "https", "www.example.com", "/",
			fields("Host", "www.example.com", "Date", "Tue, 20 Apr 2021 02:07:56 GMT", "X-OWS-Header",
					"   Leading and trailing whitespace.   ", "X-Obs-Fold-Header", "Obsolete\r\n    line folding.",
					"Cache-Control", "max-age=60", "Cache-Control", "   must-revalidate", "Example-Dict",
					" a=1,    b=2;x=1;y=2,   c=(a   b   c)", "Content-Digest", " a=1,    b=2;x=1;y=2,   c=(a   b   c)",
					"X-Empty-Header", "", "Example-Header", "value, with, lots", "Example-Header", "of, commas",
					"Example-Single", "value, with, lots, of, commas"));

	@Test
	void fieldValuesAreTrimmedUnfoldedAndCombinedAsSection21Shows() {
		assertThat(line(FIELDS_EXAMPLE, "\"host\"")).isEqualTo("\"host\": www.example.com");
		assertThat(line(FIELDS_EXAMPLE, "\"date\"")).isEqualTo("\"date\": Tue, 20 Apr 2021 02:07:56 GMT");
		assertThat(line(FIELDS_EXAMPLE, "\"x-ows-header\"")).isEqualTo("\"x-ows-header\": Leading and trailing whitespace.");
		assertThat(line(FIELDS_EXAMPLE, "\"x-obs-fold-header\"")).isEqualTo("\"x-obs-fold-header\": Obsolete line folding.");
		assertThat(line(FIELDS_EXAMPLE, "\"cache-control\"")).isEqualTo("\"cache-control\": max-age=60, must-revalidate");
		assertThat(line(FIELDS_EXAMPLE, "\"example-dict\"")).isEqualTo("\"example-dict\": a=1,    b=2;x=1;y=2,   c=(a   b   c)");
		assertThat(line(FIELDS_EXAMPLE, "\"x-empty-header\"")).isEqualTo("\"x-empty-header\": ");
	}

	@Test
	void strictSerializationReserializesAFieldOfKnownStructuredType() {
		// §2.1.1 with Example-Dict's value in Content-Digest, a field whose type is registered as a dictionary
		assertThat(line(FIELDS_EXAMPLE, "\"content-digest\";sf")).isEqualTo("\"content-digest\";sf: a=1, b=2;x=1;y=2, c=(a b c)");
		assertRefused(FIELDS_EXAMPLE, "\"example-dict\";sf", RefusalReason.UNSUPPORTED_COMPONENT);
		assertRefused(SignedRequest.of("GET", "https", "a.example", "/", fields("Content-Digest", "a=(")),
				"\"content-digest\";sf", RefusalReason.INVALID_COMPONENT_VALUE);
	}

	@Test
	void dictionaryMembersAreSerializedAsSection212Shows() {
		SignedRequest request = SignedRequest.of("GET", "https", "a.example", "/",
				fields("Example-Dict", " a=1, b=2;x=1;y=2, c=(a   b    c), d"));
		assertThat(line(request, "\"example-dict\";key=\"a\"")).isEqualTo("\"example-dict\";key=\"a\": 1");
		assertThat(line(request, "\"example-dict\";key=\"d\"")).isEqualTo("\"example-dict\";key=\"d\": ?1");
		assertThat(line(request, "\"example-dict\";key=\"b\"")).isEqualTo("\"example-dict\";key=\"b\": 2;x=1;y=2");
		assertThat(line(request, "\"example-dict\";key=\"c\"")).isEqualTo("\"example-dict\";key=\"c\": (a b c)");
		assertRefused(request, "\"example-dict\";key=\"e\"", RefusalReason.MISSING_COMPONENT);
		assertRefused(request, "\"cache-control\";key=\"a\"", RefusalReason.MISSING_COMPONENT);
	}

	@Test
	void binaryWrappedFieldsKeepTheirLinesApartAsSection213Shows() {
		assertThat(line(FIELDS_EXAMPLE, "\"example-header\";bs"))
			.isEqualTo("\"example-header\";bs: :dmFsdWUsIHdpdGgsIGxvdHM=:, :b2YsIGNvbW1hcw==:");
		assertThat(line(FIELDS_EXAMPLE, "\"example-single\";bs"))
			.isEqualTo("\"example-single\";bs: :dmFsdWUsIHdpdGgsIGxvdHMsIG9mLCBjb21tYXM=:");
		assertRefused(FIELDS_EXAMPLE, "\"example-header\";bs;sf", RefusalReason.UNSUPPORTED_COMPONENT);
	}

	@Test
	void derivedComponentsAreReadAsSection22Shows() {
		SignedRequest request = SignedRequest.of("POST", "https", "www.example.com", "/path?param=value",
				HeaderFields.none());
		assertThat(line(request, "\"@method\"")).isEqualTo("\"@method\": POST");
		assertThat(line(request, "\"@target-uri\"")).isEqualTo("\"@target-uri\": https://www.example.com/path?param=value");
		assertThat(line(request, "\"@authority\"")).isEqualTo("\"@authority\": www.example.com");
		assertThat(line(request, "\"@scheme\"")).isEqualTo("\"@scheme\": https");
		assertThat(line(request, "\"@request-target\"")).isEqualTo("\"@request-target\": /path?param=value");
		assertThat(line(request, "\"@path\"")).isEqualTo("\"@path\": /path");
		assertThat(line(request, "\"@query\"")).isEqualTo("\"@query\": ?param=value");
		SignedRequest noQuery = SignedRequest.of("GET", "http", "www.example.com", "/path", HeaderFields.none());
		assertThat(line(noQuery, "\"@query\"")).isEqualTo("\"@query\": ?");
		assertThat(line(noQuery, "\"@scheme\"")).isEqualTo("\"@scheme\": http");
		SignedRequest queryString = SignedRequest.of("POST", "https", "www.example.com",
				"/path?param=value&foo=bar&baz=bat%2Dman", HeaderFields.none());
		assertThat(line(queryString, "\"@query\"")).isEqualTo("\"@query\": ?param=value&foo=bar&baz=bat%2Dman");
	}

	@Test
	void authorityAndSchemeAreNormalizedWithoutTheDefaultPort() {
		SignedRequest request = SignedRequest.of("GET", "HTTPS", "WWW.Example.COM:443", "", HeaderFields.none());
		assertThat(line(request, "\"@authority\"")).isEqualTo("\"@authority\": www.example.com");
		assertThat(line(request, "\"@target-uri\"")).isEqualTo("\"@target-uri\": https://www.example.com/");
		assertThat(line(SignedRequest.of("GET", "http", "www.example.com:80", "/", HeaderFields.none()), "\"@authority\""))
			.isEqualTo("\"@authority\": www.example.com");
		assertThat(line(SignedRequest.of("GET", "https", "www.example.com:8443", "/", HeaderFields.none()), "\"@authority\""))
			.isEqualTo("\"@authority\": www.example.com:8443");
		assertThat(line(SignedRequest.of("GET", "http", "[::1]:443", "/", HeaderFields.none()), "\"@authority\""))
			.isEqualTo("\"@authority\": [::1]:443");
	}

	@Test
	void queryParametersAreDecodedAndReencodedAsSection228Shows() {
		SignedRequest request = SignedRequest.of("GET", "https", "www.example.com",
				"/path?param=value&foo=bar&baz=batman&qux=", HeaderFields.none());
		assertThat(line(request, "\"@query-param\";name=\"baz\"")).isEqualTo("\"@query-param\";name=\"baz\": batman");
		assertThat(line(request, "\"@query-param\";name=\"qux\"")).isEqualTo("\"@query-param\";name=\"qux\": ");
		assertThat(line(request, "\"@query-param\";name=\"param\"")).isEqualTo("\"@query-param\";name=\"param\": value");
		SignedRequest encoded = SignedRequest.of("GET", "https", "www.example.com",
				"/parameters?var=this%20is%20a%20big%0Amultiline%20value&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something",
				HeaderFields.none());
		assertThat(line(encoded, "\"@query-param\";name=\"var\""))
			.isEqualTo("\"@query-param\";name=\"var\": this%20is%20a%20big%0Amultiline%20value");
		assertThat(line(encoded, "\"@query-param\";name=\"bar\"")).isEqualTo("\"@query-param\";name=\"bar\": with%20plus%20whitespace");
		assertThat(line(encoded, "\"@query-param\";name=\"fa%C3%A7ade%22%3A%20\""))
			.isEqualTo("\"@query-param\";name=\"fa%C3%A7ade%22%3A%20\": something");
	}

	@Test
	void queryParametersThatAreAbsentOrRepeatedAreRefused() {
		SignedRequest request = SignedRequest.of("GET", "https", "a.example", "/p?a=1&a=2&b=3", HeaderFields.none());
		assertRefused(request, "\"@query-param\";name=\"a\"", RefusalReason.INVALID_COMPONENT_VALUE);
		assertRefused(request, "\"@query-param\";name=\"c\"", RefusalReason.MISSING_COMPONENT);
		assertRefused(SignedRequest.of("GET", "https", "a.example", "/p", HeaderFields.none()),
				"\"@query-param\";name=\"a\"", RefusalReason.MISSING_COMPONENT);
		assertRefused(request, "\"@query-param\"", RefusalReason.UNSUPPORTED_COMPONENT);
		assertRefused(request, "\"@query-param\";name=b", RefusalReason.UNSUPPORTED_COMPONENT);
	}

	@Test
	void appendixBSignatureBasesAreReproducedExactly() {
		SignedRequest request = SignatureFixtures.testRequest();
		assertThat(base(request, "();created=1618884473;keyid=\"test-key-rsa-pss\";nonce=\"b3k2pp5k7z-50gnwp.yemd\""))
			.isEqualTo("\"@signature-params\": ();created=1618884473;keyid=\"test-key-rsa-pss\";nonce=\"b3k2pp5k7z-50gnwp.yemd\"");
		assertThat(base(request, "(\"@authority\" \"content-digest\" \"@query-param\";name=\"Pet\");created=1618884473;keyid=\"test-key-rsa-pss\";tag=\"header-example\""))
			.isEqualTo("""
					"@authority": example.com
					"content-digest": %s
					"@query-param";name="Pet": dog
					"@signature-params": ("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example\""""
				.formatted(SignatureFixtures.CONTENT_DIGEST));
		assertThat(base(request, "(\"date\" \"@method\" \"@path\" \"@query\" \"@authority\" \"content-type\" \"content-digest\" \"content-length\");created=1618884473;keyid=\"test-key-rsa-pss\""))
			.isEqualTo("""
					"date": Tue, 20 Apr 2021 02:07:55 GMT
					"@method": POST
					"@path": /foo
					"@query": ?param=Value&Pet=dog
					"@authority": example.com
					"content-type": application/json
					"content-digest": %s
					"content-length": 18
					"@signature-params": ("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss\""""
				.formatted(SignatureFixtures.CONTENT_DIGEST));
		assertThat(base(request, "(\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" \"content-length\");created=1618884473;keyid=\"test-key-ed25519\""))
			.isEqualTo("""
					"date": Tue, 20 Apr 2021 02:07:55 GMT
					"@method": POST
					"@path": /foo
					"@authority": example.com
					"content-type": application/json
					"content-length": 18
					"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519\"""");
	}

	@Test
	void theSignatureParamsLineIsTheCanonicalFormOfTheInput() {
		assertThat(base(SignatureFixtures.testRequest(), "(  \"@method\"   \"@path\" );created=1;keyid=\"k\""))
			.endsWith("\"@signature-params\": (\"@method\" \"@path\");created=1;keyid=\"k\"");
	}

	@Test
	void aComponentListedTwiceIsRefusedWhateverItsParameterOrder() {
		SignedRequest request = SignedRequest.of("GET", "https", "a.example", "/", fields("Example-Dict", "a=1"));
		assertRefused(request, "\"@method\" \"@path\" \"@method\"", RefusalReason.DUPLICATE_COMPONENT);
		assertRefused(request, "\"example-dict\";key=\"a\";sf \"example-dict\";sf;key=\"a\"", RefusalReason.DUPLICATE_COMPONENT);
		assertThat(base(request, "(\"example-dict\" \"example-dict\";key=\"a\");created=1")).startsWith(
				"\"example-dict\": a=1\n\"example-dict\";key=\"a\": 1\n");
	}

	@Test
	void absentUnknownAndUnsupportedComponentsAreRefused() {
		SignedRequest request = SignatureFixtures.testRequest();
		assertRefused(request, "\"x-absent\"", RefusalReason.MISSING_COMPONENT);
		assertRefused(request, "\"@status\"", RefusalReason.UNSUPPORTED_COMPONENT);
		assertRefused(request, "\"@unknown\"", RefusalReason.UNSUPPORTED_COMPONENT);
		assertRefused(request, "\"@signature-params\"", RefusalReason.UNSUPPORTED_COMPONENT);
		assertRefused(request, "\"@method\";req", RefusalReason.UNSUPPORTED_COMPONENT);
		assertRefused(request, "\"date\";req", RefusalReason.UNSUPPORTED_COMPONENT);
		assertRefused(request, "\"date\";tr", RefusalReason.UNSUPPORTED_COMPONENT);
		assertRefused(request, "\"date\";sf=?0", RefusalReason.UNSUPPORTED_COMPONENT);
		assertRefused(request, "\"date\";unknown", RefusalReason.UNSUPPORTED_COMPONENT);
		assertRefused(request, "\"Date\"", RefusalReason.UNSUPPORTED_COMPONENT);
		assertRefused(request, "\"\"", RefusalReason.UNSUPPORTED_COMPONENT);
		assertRefused(request, "date", RefusalReason.MALFORMED_PARAMETERS);
	}

	@Test
	void valuesThatWouldForgeOrBreakTheBaseAreRefused() {
		assertRefused(SignedRequest.of("GET", "https", "a.example", "/", fields("X-A", "one\r\n\"@method\": POST")),
				"\"x-a\"", RefusalReason.INVALID_COMPONENT_VALUE);
		assertRefused(SignedRequest.of("GET", "https", "a.example", "/", fields("X-A", "one\nfolded")), "\"x-a\"",
				RefusalReason.INVALID_COMPONENT_VALUE);
		assertRefused(SignedRequest.of("GET", "https", "a.example", "/", fields("X-A", "caf\u00e9")), "\"x-a\"",
				RefusalReason.INVALID_COMPONENT_VALUE);
		assertRefused(SignedRequest.of("GET", "https", "caf\u00e9.example", "/", HeaderFields.none()), "\"@authority\"",
				RefusalReason.INVALID_COMPONENT_VALUE);
		assertRefused(SignedRequest.of("GET", "https", "a.example", "/caf\u00c3\u00a9", HeaderFields.none()),
				"\"@path\"", RefusalReason.INVALID_COMPONENT_VALUE);
		assertRefused(SignedRequest.of("GET\n", "https", "a.example", "/", HeaderFields.none()), "\"@method\"",
				RefusalReason.INVALID_COMPONENT_VALUE);
	}

	/** The base's line for one component, from a one-component signature. */
	private static String line(SignedRequest request, String component) {
		String base = base(request, "(" + component + ");created=1");
		return base.substring(0, base.indexOf('\n'));
	}

	private static String base(SignedRequest request, String signatureParams) {
		return new String(SignatureBase.build(request, innerList(signatureParams)), StandardCharsets.US_ASCII);
	}

	private static void assertRefused(SignedRequest request, String components, RefusalReason reason) {
		InnerList signatureParams = innerList("(" + components + ");created=1");
		assertThatExceptionOfType(Refusal.class).isThrownBy(() -> SignatureBase.build(request, signatureParams))
			.satisfies((refusal) -> assertThat(refusal.reason()).as(refusal.getMessage()).isEqualTo(reason));
	}

	private static InnerList innerList(String signatureParams) {
		Member member = StructuredFieldParser.parseDictionary("sig=" + signatureParams).orElseThrow().get("sig");
		return (InnerList) member;
	}

}
