package dev.gatehouse.admin.outbound;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RelayTargetTests {

	private static final String PEER = "abcdef2345";

	@Test
	void peerAppPathAndQueryAreReadRaw() {
		RelayTarget target = RelayTarget.parse("/internal/peers/" + PEER + "/apps/inbox/caf%C3%A9/x", "q=a%20b&since=3");
		assertThat(target).isEqualTo(new RelayTarget(PEER, "inbox", "/caf%C3%A9/x", "q=a%20b&since=3"));
		assertThat(target.uri("https://{app}.{domain}", "bob.example.org"))
			.hasToString("https://inbox.bob.example.org/caf%C3%A9/x?q=a%20b&since=3");
	}

	@Test
	void anAppWithoutAPathIsCalledAtItsRoot() {
		assertThat(RelayTarget.parse("/internal/peers/" + PEER + "/apps/inbox", null).path()).isEqualTo("/");
		assertThat(RelayTarget.parse("/internal/peers/" + PEER + "/apps/inbox/", null).path()).isEqualTo("/");
		assertThat(RelayTarget.parse("/internal/peers/" + PEER + "/apps/inbox", null).uri("https://{app}.{domain}", "b.example"))
			.hasToString("https://inbox.b.example/");
	}

	@Test
	void theTemplateCanRouteToAnyServer() {
		assertThat(RelayTarget.parse("/internal/peers/" + PEER + "/apps/inbox/m", "").uri("http://127.0.0.1:8080/{domain}/{app}",
				"bob.example.org"))
			.hasToString("http://127.0.0.1:8080/bob.example.org/inbox/m?");
	}

	@Test
	void pathsAnAppCouldRouteDifferentlyAreRefused() {
		for (String path : new String[] { "/a/../b", "/a/./b", "/%2e%2e/b", "/a%2Fb", "/a;b", "/a%3Bb", "//a", "/a\\b",
				"/%61", "/a%zz", "/caf\u00e9", "/a%252F" }) {
			assertThatIllegalArgumentException().as(path)
				.isThrownBy(() -> RelayTarget.parse("/internal/peers/" + PEER + "/apps/inbox" + path, null))
				.withMessageContaining("normalized form");
		}
	}

	@Test
	void theAppIsADnsLabelAndThePeerAnId() {
		for (String app : new String[] { "Inbox", "in_box", "-inbox", "in.box", "%69nbox", "" }) {
			assertThatIllegalArgumentException().as(app)
				.isThrownBy(() -> RelayTarget.parse("/internal/peers/" + PEER + "/apps/" + app + "/x", null))
				.withMessageContaining("app name");
		}
		for (String peer : new String[] { "ABCDEF", "abcde", "abcdef0", "abc%64ef", "" }) {
			assertThatIllegalArgumentException().as(peer)
				.isThrownBy(() -> RelayTarget.parse("/internal/peers/" + peer + "/apps/inbox/x", null))
				.withMessageContaining("peer id");
		}
		assertThatIllegalArgumentException().isThrownBy(() -> RelayTarget.parse("/internal/peers/" + PEER + "/inbox/x", null));
		assertThatIllegalArgumentException().isThrownBy(() -> RelayTarget.parse("/%69nternal/peers/" + PEER + "/apps/inbox/x", null));
	}

	@Test
	void aQueryThatIsNoUriIsRefused() {
		RelayTarget target = RelayTarget.parse("/internal/peers/" + PEER + "/apps/inbox/x", "a=<b>");
		assertThatIllegalArgumentException().isThrownBy(() -> target.uri("https://{app}.{domain}", "bob.example.org"));
	}

	@Test
	void aDomainThatCouldEndTheAuthorityIsNeverCalled() {
		RelayTarget target = RelayTarget.parse("/internal/peers/" + PEER + "/apps/inbox/x", null);
		for (String domain : new String[] { "evil.example/x", "evil.example?", "evil.example#", "user@evil.example",
				"evil.example:8080", "" }) {
			assertThatIllegalStateException().as(domain).isThrownBy(() -> target.uri("https://{app}.{domain}", domain));
		}
	}

}
