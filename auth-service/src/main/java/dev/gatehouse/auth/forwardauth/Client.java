package dev.gatehouse.auth.forwardauth;

import dev.gatehouse.model.terminal.Terminal;

/**
 * Who is asking: a verified terminal, or anonymous.
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
