package dev.gatehouse.admin.identity;

import java.io.ByteArrayInputStream;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityKeysTests {

	@Test
	void idIsTheBase32HashOfThePublicKey() throws Exception {
		IdentityKeys keys = IdentityKeys.generate();
		assertThat(keys.id()).matches("[a-z2-7]{52}");
		assertThat(IdentityKeys.idOf(publicKey(keys.publicKeyPem()))).isEqualTo(keys.id());
	}

	@Test
	void everyIdentityGetsItsOwnKey() {
		assertThat(IdentityKeys.generate().id()).isNotEqualTo(IdentityKeys.generate().id());
	}

	@Test
	void privateKeyIsNeverPrinted() {
		IdentityKeys keys = IdentityKeys.generate();
		assertThat(keys.toString()).doesNotContain("PRIVATE").doesNotContain(keys.privateKeyPem());
	}

	private static PublicKey publicKey(String pem) throws Exception {
		String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
		byte[] der = Base64.getDecoder().decode(base64);
		return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(new ByteArrayInputStream(der).readAllBytes()));
	}

}
