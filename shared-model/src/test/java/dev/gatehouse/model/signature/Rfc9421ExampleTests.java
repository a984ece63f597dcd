package dev.gatehouse.model.signature;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import dev.gatehouse.model.signature.StructuredField.InnerList;
import dev.gatehouse.model.signature.Verification.Refused;
import dev.gatehouse.model.signature.Verification.Verified;
import org.junit.jupiter.api.Test;

import static dev.gatehouse.model.signature.SignatureFixtures.fields;
import static dev.gatehouse.model.signature.SignatureFixtures.testRequestFields;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9421's signed examples verify with the RFC's test keys at the examples' {@code created}, and a one-byte
 * change to any covered component (method, authority, path, query, a covered field) makes each fail. The
 * examples are Appendix B.2.1-B.2.3 ({@code rsa-pss-sha512}) and B.2.6 ({@code ed25519}); the multiple
 * signatures of §4.3 ({@code ecdsa-p256-sha256} and {@code rsa-v1_5-sha256}); the TLS-terminating proxy of
 * B.3 ({@code ecdsa-p256-sha256}) and the transformations of B.4 ({@code ed25519}). B.2.4 signs a response
 * and B.2.5 uses HMAC, neither of which Gatehouse verifies; B.2.5 is refused below.
 */
class Rfc9421ExampleTests {

	private static final Instant CREATED = Instant.ofEpochSecond(1618884473);

	/** The examples cover neither the target URI nor always the method: require nothing but their age. */
	private static final SignatureVerifier VERIFIER = new SignatureVerifier(
			new VerificationPolicy(List.of(), Duration.ofMinutes(5), Duration.ZERO));

	private static final String B21_INPUT = "sig-b21=();created=1618884473;keyid=\"test-key-rsa-pss\";nonce=\"b3k2pp5k7z-50gnwp.yemd\"";

	private static final String B21_SIGNATURE = "sig-b21=:d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wgGxbtRxf8Udx7zFZsckzXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhzx2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcAnLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhdxO5Nyt8C8ssinQ98Xw9Q==:";

	private static final String B22_INPUT = "sig-b22=(\"@authority\" \"content-digest\" \"@query-param\";name=\"Pet\");created=1618884473;keyid=\"test-key-rsa-pss\";tag=\"header-example\"";

	private static final String B22_SIGNATURE = "sig-b22=:LjbtqUbfmvjj5C5kr1Ugj4PmLYvx9wVjZvD9GsTT4F7GrcQEdJzgI9qHxICagShLRiLMlAJjtq6N4CDfKtjvuJyE5qH7KT8UCMkSowOB4+ECxCmT8rtAmj/0PIXxi0A0nxKyB09RNrCQibbUjsLS/2YyFYXEu4TRJQzRw1rLEuEfY17SARYhpTlaqwZVtR8NV7+4UKkjqpcAoFqWFQh62s7Cl+H2fjBSpqfZUJcsIk4N6wiKYd4je2U/lankenQ99PZfB4jY3I5rSV2DSBVkSFsURIjYErOs0tFTQosMTAoxk//0RoKUqiYY8Bh0aaUEb0rQl3/XaVe4bXTugEjHSw==:";

	private static final String B23_INPUT = "sig-b23=(\"date\" \"@method\" \"@path\" \"@query\" \"@authority\" \"content-type\" \"content-digest\" \"content-length\");created=1618884473;keyid=\"test-key-rsa-pss\"";

	private static final String B23_SIGNATURE = "sig-b23=:bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxFkeGt683+qRpRRU5p2voTp768ZrCUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPViV7KsLNmvKiLJH1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CCoC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9BmzhuzF8Eim5f8ui9eH8LZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5fTIztsDZKEgM4cUA==:";

	private static final String B26_INPUT = "sig-b26=(\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" \"content-length\");created=1618884473;keyid=\"test-key-ed25519\"";

	private static final String B26_SIGNATURE = "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:";

	@Test
	void minimalRsaPssSignatureOfB21VerifiesAndReturnsItsNonce() {
		assertThat(verify(SignatureFixtures.testRequest("Signature-Input", B21_INPUT, "Signature", B21_SIGNATURE)))
			.isEqualTo(new Verified(SignatureFixtures.RSA_PSS, "sig-b21", Optional.of("b3k2pp5k7z-50gnwp.yemd"),
					CREATED, Optional.empty()));
	}

	@Test
	void selectiveRsaPssSignatureOfB22VerifiesAndFailsWhenACoveredComponentChanges() {
		assertVerifiesAndEveryChangeFails("sig-b22", B22_INPUT, B22_SIGNATURE,
				List.of(Change.AUTHORITY, Change.QUERY, Change.CONTENT_DIGEST), List.of(Change.METHOD, Change.PATH));
	}

	@Test
	void fullCoverageRsaPssSignatureOfB23VerifiesAndFailsWhenACoveredComponentChanges() {
		assertVerifiesAndEveryChangeFails("sig-b23", B23_INPUT, B23_SIGNATURE, List.of(Change.values()), List.of());
	}

	@Test
	void ed25519SignatureOfB26VerifiesAndFailsWhenACoveredComponentChanges() {
		assertVerifiesAndEveryChangeFails("sig-b26", B26_INPUT, B26_SIGNATURE,
				List.of(Change.METHOD, Change.AUTHORITY, Change.PATH, Change.DATE, Change.CONTENT_TYPE),
				List.of(Change.QUERY, Change.CONTENT_DIGEST));
	}

	@Test
	void ed25519SignatureOfB26IsReproducedByteForByte() {
		// Ed25519 is deterministic: the RFC's private key over our base gives the RFC's signature
		SignedRequest request = SignatureFixtures.testRequest();
		InnerList input = (InnerList) StructuredFieldParser.parseDictionary(B26_INPUT).orElseThrow().get("sig-b26");
		byte[] signature = SignatureAlgorithm.ED25519.sign(SignatureFixtures.rfcPrivateKey(SignatureFixtures.ED25519),
				SignatureBase.build(request, input));
		assertThat("sig-b26=:" + Base64.getEncoder().encodeToString(signature) + ":").isEqualTo(B26_SIGNATURE);
	}

	@Test
	void hmacSignatureOfB25IsRefusedWhicheverKeyTheKeyidNames() {
		String input = "sig-b25=(\"date\" \"@authority\" \"content-type\");created=1618884473;keyid=\"test-shared-secret\"";
		String signature = "sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:";
		assertThat(verify(SignatureFixtures.testRequest("Signature-Input", input, "Signature", signature)))
			.isInstanceOfSatisfying(Refused.class, (refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.UNKNOWN_KEY));
		// the same signature claimed for the Ed25519 key: 32 bytes are no Ed25519 signature
		assertThat(verify(SignatureFixtures.testRequest("Signature-Input", input.replace("test-shared-secret", "test-key-ed25519"),
				"Signature", signature)))
			.isInstanceOfSatisfying(Refused.class,
					(refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.MALFORMED_SIGNATURE));
		assertThat(verify(SignatureFixtures.testRequest("Signature-Input",
				input.replace("test-shared-secret", "test-key-ed25519") + ";alg=\"hmac-sha256\"", "Signature", signature)))
			.isInstanceOfSatisfying(Refused.class,
					(refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.UNSUPPORTED_ALG));
	}

	@Test
	void ofTheMultipleSignaturesOfSection43TheOneThatStillVerifiesAdmitsTheRequest() {
		String input = "sig1=(\"@method\" \"@authority\" \"@path\" \"content-digest\" \"content-type\" \"content-length\");created=1618884475;keyid=\"test-key-ecc-p256\", "
				+ "proxy_sig=(\"@method\" \"@authority\" \"@path\" \"content-digest\" \"content-type\" \"content-length\" \"forwarded\");created=1618884480;keyid=\"test-key-rsa\";alg=\"rsa-v1_5-sha256\";expires=1618884540";
		String signature = "sig1=:X5spyd6CFnAG5QnDyHfqoSNICd+BUP4LYMz2Q0JXlb//4Ijpzp+kve2w4NIyqeAuM7jTDX+sNalzA8ESSaHD3A==:, "
				+ "proxy_sig=:S6ZzPXSdAMOPjN/6KXfXWNO/f7V6cHm7BXYUh3YD/fRad4BCaRZxP+JH+8XY1I6+8Cy+CM5g92iHgxtRPz+MjniOaYmdkDcnL9cCpXJleXsOckpURl49GwiyUpZ10KHgOEe11sx3G2gxI8S0jnxQB+Pu68U9vVcasqOWAEObtNKKZd8tSFu7LB5YAv0RAGhB8tmpv7sFnIm9y+7X5kXQfi8NMaZaA8i2ZHwpBdg7a6CMfwnnrtflzvZdXAsD3LH2TwevU+/PBPv0B6NMNk93wUs/vfJvye+YuI87HU38lZHowtznbLVdp770I6VHR6WfgS9ddzirrswsE1w5o0LV/g==:";
		String[] clientFields = { "Date", "Tue, 20 Apr 2021 02:07:55 GMT", "Content-Type", "application/json",
				"Content-Length", "18", "Content-Digest", SignatureFixtures.CONTENT_DIGEST, "Signature-Input", input,
				"Signature", signature };
		Instant at = Instant.ofEpochSecond(1618884500);
		// as the client sent it: the client's signature verifies, the proxy's does not exist yet for this authority
		SignedRequest fromClient = SignedRequest.of("POST", "https", "example.com", "/foo?param=Value&Pet=dog",
				fields(clientFields));
		assertThat(VERIFIER.verify(fromClient, "sig1", SignatureFixtures.rfcKeys(), at))
			.isInstanceOfSatisfying(Verified.class, (verified) -> assertThat(verified.keyId()).isEqualTo(SignatureFixtures.ECC_P256));
		// as the origin sees it: the proxy changed the authority, so only the proxy's signature verifies
		SignedRequest atOrigin = SignedRequest.of("POST", "https", "origin.host.internal.example", "/foo?param=Value&Pet=dog",
				fields(concat(clientFields, "Forwarded", "for=192.0.2.123;host=example.com;proto=https")));
		assertThat(VERIFIER.verify(atOrigin, null, SignatureFixtures.rfcKeys(), at))
			.isEqualTo(new Verified(SignatureFixtures.RSA, "proxy_sig", Optional.empty(),
					Instant.ofEpochSecond(1618884480), Optional.of(Instant.ofEpochSecond(1618884540))));
		assertThat(VERIFIER.verify(atOrigin, "sig1", SignatureFixtures.rfcKeys(), at))
			.isInstanceOfSatisfying(Refused.class, (refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.INVALID_SIGNATURE));
		// once the proxy's signature has expired, nothing admits the request; the first label's refusal is reported
		assertThat(VERIFIER.verify(atOrigin, null, SignatureFixtures.rfcKeys(), Instant.ofEpochSecond(1618884540)))
			.isInstanceOfSatisfying(Refused.class, (refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.INVALID_SIGNATURE));
		assertThat(VERIFIER.verify(atOrigin, "proxy_sig", SignatureFixtures.rfcKeys(), Instant.ofEpochSecond(1618884540)))
			.isInstanceOfSatisfying(Refused.class, (refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.EXPIRED));
	}

	@Test
	void ecdsaSignatureOfTheTlsTerminatingProxyExampleVerifiesAndFailsWhenACoveredComponentChanges() {
		String clientCert = ":MIIBqDCCAU6gAwIBAgIBBzAKBggqhkjOPQQDAjA6MRswGQYDVQQKDBJMZXQncyBBdXRoZW50aWNhdGUxGzAZBgNVBAMMEkxBIEludGVybWVkaWF0ZSBDQTAeFw0yMDAxMTQyMjU1MzNaFw0yMTAxMjMyMjU1MzNaMA0xCzAJBgNVBAMMAkJDMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8YnXXfaUgmnMtOXU/IncWalRhebrXmckC8vdgJ1p5Be5F/3YC8OthxM4+k1M6aEAEFcGzkJiNy6J84y7uzo9M6NyMHAwCQYDVR0TBAIwADAfBgNVHSMEGDAWgBRm3WjLa38lbEYCuiCPct0ZaSED2DAOBgNVHQ8BAf8EBAMCBsAwEwYDVR0lBAwwCgYIKwYBBQUHAwIwHQYDVR0RAQH/BBMwEYEPYmRjQGV4YW1wbGUuY29tMAoGCCqGSM49BAMCA0gAMEUCIBHda/r1vaL6G3VliL4/Di6YK0Q6bMjeSkC3dFCOOB8TAiEAx/kHSB4urmiZ0NX5r5XarmPk0wmuydBVoU4hBVZ1yhk=:";
		String[] signed = { "Date", "Tue, 20 Apr 2021 02:07:55 GMT", "Content-Type", "application/json",
				"Content-Length", "18", "Client-Cert", clientCert, "Signature-Input",
				"ttrp=(\"@path\" \"@query\" \"@method\" \"@authority\" \"client-cert\");created=1618884473;keyid=\"test-key-ecc-p256\"",
				"Signature", "ttrp=:xVMHVpawaAC/0SbHrKRs9i8I3eOs5RtTMGCWXm/9nvZzoHsIg6Mce9315T6xoklyy0yzhD9ah4JHRwMLOgmizw==:" };
		SignedRequest request = SignedRequest.of("POST", "https", "service.internal.example", "/foo?param=Value&Pet=dog",
				fields(signed));
		assertThat(verify(request)).isInstanceOf(Verified.class);
		assertThat(verify(SignedRequest.of("POST", "https", "service.internal.example", "/foo?param=Value&Pet=dog",
				fields(replaceValue(signed, "Client-Cert", clientCert.replace("MIIBqD", "MIIBqE"))))))
			.isInstanceOfSatisfying(Refused.class, (refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.INVALID_SIGNATURE));
		for (Change change : List.of(Change.METHOD, Change.AUTHORITY, Change.PATH, Change.QUERY)) {
			SignedRequest changed = change.apply(request.method(), request.authority(), request.requestTarget(), signed);
			assertThat(verify(changed)).as(change.name()).isInstanceOf(Refused.class);
		}
	}

	@Test
	void transformationsOfB4ThatKeepTheCoveredValuesKeepTheSignatureValid() {
		String input = "transform=(\"@method\" \"@path\" \"@authority\" \"accept\");created=1618884473;keyid=\"test-key-ed25519\"";
		String signature = "transform=:ZT1kooQsEHpZ0I1IjCqtQppOmIqlJPeo7DHR3SoMn0s5JZ1eRGS0A+vyYP9t/LXlh5QMFFQ6cpLt2m0pmj3NDA==:";
		String[] original = { "Date", "Fri, 15 Jul 2022 14:24:55 GMT", "Accept", "application/json", "Accept", "*/*",
				"Signature-Input", input, "Signature", signature };
		assertThat(verify(SignedRequest.of("GET", "https", "example.org", "/demo?name1=Value1&Name2=value2", fields(original))))
			.isInstanceOf(Verified.class);
		assertThat(verify(SignedRequest.of("GET", "https", "example.org", "/demo?name1=Value1&Name2=value2&param=added",
				fields(concat(original, "Accept-Language", "en-US,en;q=0.5")))))
			.isInstanceOf(Verified.class);
		assertThat(verify(SignedRequest.of("GET", "https", "example.org", "/demo?name1=Value1&Name2=value2",
				fields("Referer", "https://developer.example.org/demo", "Accept", "application/json, */*",
						"Signature-Input", input, "Signature", signature))))
			.isInstanceOf(Verified.class);
		// the method and authority changed, or the Accept lines swapped: no longer valid
		assertThat(verify(SignedRequest.of("POST", "https", "example.com", "/demo?name1=Value1&Name2=value2", fields(original))))
			.isInstanceOf(Refused.class);
		assertThat(verify(SignedRequest.of("GET", "https", "example.org", "/demo?name1=Value1&Name2=value2",
				fields("Accept", "*/*", "Accept", "application/json", "Signature-Input", input, "Signature", signature))))
			.isInstanceOf(Refused.class);
	}

	private static void assertVerifiesAndEveryChangeFails(String label, String input, String signature,
			List<Change> covered, List<Change> notCovered) {
		String[] signed = testRequestFields("Signature-Input", input, "Signature", signature);
		SignedRequest request = SignatureFixtures.testRequest("Signature-Input", input, "Signature", signature);
		assertThat(verify(request)).isInstanceOfSatisfying(Verified.class, (verified) -> assertThat(verified.label()).isEqualTo(label));
		for (Change change : covered) {
			assertThat(verify(change.apply(request.method(), request.authority(), request.requestTarget(), signed)))
				.as(change.name())
				.isInstanceOfSatisfying(Refused.class,
						(refused) -> assertThat(refused.reason()).isEqualTo(RefusalReason.INVALID_SIGNATURE));
		}
		for (Change change : notCovered) {
			assertThat(verify(change.apply(request.method(), request.authority(), request.requestTarget(), signed)))
				.as(change.name() + " is not covered")
				.isInstanceOf(Verified.class);
		}
	}

	private static Verification verify(SignedRequest request) {
		return VERIFIER.verify(request, null, SignatureFixtures.rfcKeys(), CREATED);
	}

	/** A one-byte change to one component of a request. */
	enum Change {

		METHOD, AUTHORITY, PATH, QUERY, DATE, CONTENT_TYPE, CONTENT_DIGEST, CONTENT_LENGTH;

		SignedRequest apply(String method, String authority, String target, String[] fields) {
			return switch (this) {
				case METHOD -> SignedRequest.of(flip(method, 0), "https", authority, target, fields(fields));
				case AUTHORITY -> SignedRequest.of(method, "https", flip(authority, 0), target, fields(fields));
				case PATH -> SignedRequest.of(method, "https", authority, flip(target, 1), fields(fields));
				case QUERY -> SignedRequest.of(method, "https", authority, flip(target, target.length() - 1), fields(fields));
				case DATE -> withField(method, authority, target, fields, "Date");
				case CONTENT_TYPE -> withField(method, authority, target, fields, "Content-Type");
				case CONTENT_DIGEST -> withField(method, authority, target, fields, "Content-Digest");
				case CONTENT_LENGTH -> withField(method, authority, target, fields, "Content-Length");
			};
		}

		private static SignedRequest withField(String method, String authority, String target, String[] fields,
				String name) {
			String value = null;
			for (int i = 0; i < fields.length; i += 2) {
				if (fields[i].equals(name)) {
					value = fields[i + 1];
				}
			}
			return SignedRequest.of(method, "https", authority, target,
					fields(replaceValue(fields, name, flip(value, value.length() / 2))));
		}

		/** The string with one byte changed, staying a valid character of its kind. */
		private static String flip(String value, int index) {
			char c = value.charAt(index);
			char changed = (c == 'z' || c == 'Z' || c == '9') ? (char) (c - 1) : (char) (c + 1);
			if (!Character.isLetterOrDigit(c)) {
				changed = (c == '-') ? '_' : 'x';
			}
			return value.substring(0, index) + changed + value.substring(index + 1);
		}

	}

	private static String[] replaceValue(String[] fields, String name, String value) {
		String[] copy = Arrays.copyOf(fields, fields.length);
		for (int i = 0; i < copy.length; i += 2) {
			if (copy[i].equals(name)) {
				copy[i + 1] = value;
			}
		}
		return copy;
	}

	private static String[] concat(String[] fields, String... more) {
		List<String> all = new ArrayList<>(List.of(fields));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

}
