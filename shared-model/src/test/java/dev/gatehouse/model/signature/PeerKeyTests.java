package dev.gatehouse.model.signature;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PeerKeyTests {

	@Test
	void algorithmIsInferredFromTheKey() {
		assertThat(PeerKey.fromPem(pem(SignatureFixtures.ED25519)).algorithm()).isEqualTo(SignatureAlgorithm.ED25519);
		assertThat(PeerKey.fromPem(pem(SignatureFixtures.RSA_PSS)).algorithm()).isEqualTo(SignatureAlgorithm.RSA_PSS_SHA512);
		assertThat(PeerKey.fromPem(pem(SignatureFixtures.RSA)).algorithm()).isEqualTo(SignatureAlgorithm.RSA_PSS_SHA512);
		assertThat(PeerKey.fromPem(pem(SignatureFixtures.ECC_P256)).algorithm())
			.isEqualTo(SignatureAlgorithm.ECDSA_P256_SHA256);
	}

	@Test
	void anRsaKeyMayBeRegisteredForPkcs1Signatures() {
		assertThat(PeerKey.fromPem(pem(SignatureFixtures.RSA), SignatureAlgorithm.RSA_V1_5_SHA256).algorithm())
			.isEqualTo(SignatureAlgorithm.RSA_V1_5_SHA256);
	}

	@Test
	void aKeyIsRefusedForAnAlgorithmItDoesNotFit() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PeerKey.fromPem(pem(SignatureFixtures.ED25519), SignatureAlgorithm.RSA_PSS_SHA512));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PeerKey.fromPem(pem(SignatureFixtures.RSA_PSS), SignatureAlgorithm.ED25519));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PeerKey.fromPem(pem(SignatureFixtures.ECC_P256), SignatureAlgorithm.RSA_V1_5_SHA256));
	}

	@Test
	void weakRsaKeysAndOtherCurvesAreRefused() throws GeneralSecurityException {
		KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
		rsa.initialize(new RSAKeyGenParameterSpec(1024, RSAKeyGenParameterSpec.F4));
		assertThatIllegalArgumentException().isThrownBy(() -> PeerKey.fromPem(pem(rsa.generateKeyPair().getPublic())))
			.withMessageContaining("2048");
		KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
		ec.initialize(new ECGenParameterSpec("secp384r1"));
		assertThatIllegalArgumentException().isThrownBy(() -> PeerKey.fromPem(pem(ec.generateKeyPair().getPublic())));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PeerKey.fromPem(pem(KeyPairGenerator.getInstance("Ed448").generateKeyPair().getPublic())));
	}

	@Test
	void anythingButAPublicKeyPemIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> PeerKey.fromPem(""));
		assertThatIllegalArgumentException().isThrownBy(() -> PeerKey.fromPem("not a key"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PeerKey.fromPem(SignatureFixtures.resource("rfc9421/test-key-ed25519.key")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PeerKey.fromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PeerKey.fromPem("-----BEGIN PUBLIC KEY-----\n" + "A".repeat(5000) + "\n-----END PUBLIC KEY-----"));
	}

	@Test
	void pemRoundTrips() {
		PeerKey key = PeerKey.fromPem(pem(SignatureFixtures.RSA_PSS));
		assertThat(PeerKey.fromPem(key.pem())).isEqualTo(key);
		assertThat(key.pem()).isEqualTo(pem(SignatureFixtures.RSA_PSS));
	}

	private static String pem(String name) {
		return SignatureFixtures.resource("rfc9421/" + name + ".pem");
	}

	private static String pem(PublicKey key) {
		return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
				+ "\n-----END PUBLIC KEY-----\n";
	}

}
