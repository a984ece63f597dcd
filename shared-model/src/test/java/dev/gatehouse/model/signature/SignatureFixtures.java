package dev.gatehouse.model.signature;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Test keys, requests and resources shared by the signature tests. */
final class SignatureFixtures {

	static final String RSA = "test-key-rsa";

	static final String RSA_PSS = "test-key-rsa-pss";

	static final String ECC_P256 = "test-key-ecc-p256";

	static final String ED25519 = "test-key-ed25519";

	static final String CONTENT_DIGEST = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private SignatureFixtures() {
	}

	static String resource(String path) {
		try (InputStream in = SignatureFixtures.class.getResourceAsStream("/signature/" + path)) {
			if (in == null) {
				throw new IllegalArgumentException("no test resource signature/" + path);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static JsonNode json(String path) {
		return JSON.readTree(resource(path));
	}

	/** An RFC 9421 Appendix B.1 test key, with the algorithm the RFC's examples use it for. */
	static PeerKey rfcKey(String name) {
		SignatureAlgorithm algorithm = switch (name) {
			case RSA -> SignatureAlgorithm.RSA_V1_5_SHA256;
			case RSA_PSS -> SignatureAlgorithm.RSA_PSS_SHA512;
			case ECC_P256 -> SignatureAlgorithm.ECDSA_P256_SHA256;
			case ED25519 -> SignatureAlgorithm.ED25519;
			default -> throw new IllegalArgumentException(name);
		};
		return PeerKey.fromPem(resource("rfc9421/" + name + ".pem"), algorithm);
	}

	/** The RFC's test keys by their key ids, as a verifier's key lookup. */
	static Function<String, Optional<PeerKey>> rfcKeys() {
		Map<String, PeerKey> keys = Map.of(RSA, rfcKey(RSA), RSA_PSS, rfcKey(RSA_PSS), ECC_P256, rfcKey(ECC_P256),
				ED25519, rfcKey(ED25519));
		return (keyId) -> Optional.ofNullable(keys.get(keyId));
	}

	static PrivateKey rfcPrivateKey(String name) {
		String pem = resource("rfc9421/" + name + ".key");
		byte[] der = Base64.getMimeDecoder()
			.decode(pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", ""));
		for (String type : new String[] { "Ed25519", "RSA", "RSASSA-PSS", "EC" }) {
			try {
				return KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(der));
			}
			catch (GeneralSecurityException ex) {
				// try the next type
			}
		}
		throw new IllegalArgumentException("no private key in " + name);
	}

	/** Header fields from name, value pairs; a name given twice makes two field lines. */
	static HeaderFields fields(String... namesAndValues) {
		Map<String, List<String>> fields = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			fields.computeIfAbsent(namesAndValues[i], (name) -> new ArrayList<>()).add(namesAndValues[i + 1]);
		}
		return HeaderFields.of(fields);
	}

	/** The fields of RFC 9421's {@code test-request} (B.2), plus more. */
	static String[] testRequestFields(String... more) {
		List<String> fields = new ArrayList<>(List.of("Host", "example.com", "Date", "Tue, 20 Apr 2021 02:07:55 GMT",
				"Content-Type", "application/json", "Content-Digest", CONTENT_DIGEST, "Content-Length", "18"));
		fields.addAll(List.of(more));
		return fields.toArray(String[]::new);
	}

	/** RFC 9421's {@code test-request}: {@code POST /foo?param=Value&Pet=dog} to {@code example.com}. */
	static SignedRequest testRequest(String... signatureFields) {
		return SignedRequest.of("POST", "https", "example.com", "/foo?param=Value&Pet=dog",
				fields(testRequestFields(signatureFields)));
	}

}
