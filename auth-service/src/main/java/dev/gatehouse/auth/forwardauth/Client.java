package dev.gatehouse.auth.forwardauth;

import dev.gatehouse.model.peer.Peer;
import dev.gatehouse.model.terminal.Terminal;

/**
 * Who is asking: a verified terminal, a peer whose signature verified, or anonymous.
 */
sealed interface Client {

	/** The anonymous client; its identity headers are empty strings. */
	Client ANONYMOUS = new Anonymous();

	String type();

	String id();

	String name();

	/**
	 * A paired terminal whose token verified and which still exists.
	 *
	 * @param terminal the terminal
	 */
	record PairedTerminal(Terminal terminal) implements Client {

		@Override
		public String type() {
			return "terminal";
		}

		@Override
		public String id() {
			return this.terminal.id();
		}

		@Override
		public String name() {
			return this.terminal.name();
		}

	}

	/**
	 * Another installation whose signed request verified with its key.
	 *
	 * @param peer the peer
	 */
	record VerifiedPeer(Peer peer) implements Client {

		@Override
		public String type() {
			return "peer";
		}

		@Override
		public String id() {
			return this.peer.id();
		}

		@Override
		public String name() {
			return this.peer.name();
		}

	}

	/**
	 * No verified credential.
	 */
	record Anonymous() implements Client {

		@Override
		public String type() {
			return "anonymous";
		}

		@Override
		public String id() {
			return "";
		}

		@Override
		public String name() {
			return "";
		}

	}

}
