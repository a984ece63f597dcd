package dev.gatehouse.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends one command to a Redis server, or a sentinel, over a fresh connection and returns its answer: for
 * the administration a test topology needs ({@code CLUSTER INFO}, {@code ROLE}, {@code SENTINEL ...}) and
 * for a test that must talk to one particular node, which a cluster-aware client hides. RESP2 only.
 * <p>
 * Answers: a status or bulk string as {@link String} (a missing bulk string as null), an integer as
 * {@link Long}, an array as a {@link List} of these; an error answer throws {@link IllegalStateException}.
 */
public final class RespClient {

	private RespClient() {
	}

	/**
	 * Sends a command.
	 * @param server the server's address
	 * @param command the command and its arguments
	 * @return the answer
	 * @throws UncheckedIOException when the server cannot be reached
	 * @throws IllegalStateException when the server answers with an error
	 */
	public static Object call(InetSocketAddress server, String... command) {
		try (Socket socket = new Socket()) {
			socket.connect(server, 1000);
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write(encode(command));
			out.flush();
			return read(new BufferedInputStream(socket.getInputStream()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not send %s to %s".formatted(command[0], server), ex);
		}
	}

	/**
	 * Sends a command whose answer is text, such as {@code INFO} or {@code CLUSTER INFO}.
	 * @param server the server's address
	 * @param command the command and its arguments
	 * @return the answer
	 */
	public static String text(InetSocketAddress server, String... command) {
		return (String) call(server, command);
	}

	private static byte[] encode(String... command) {
		StringBuilder request = new StringBuilder("*").append(command.length).append("\r\n");
		for (String part : command) {
			request.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part).append("\r\n");
		}
		return request.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static Object read(InputStream in) throws IOException {
		int type = in.read();
		String line = line(in);
		return switch (type) {
			case '+' -> line;
			case '-' -> throw new IllegalStateException(line);
			case ':' -> Long.parseLong(line);
			case '$' -> bulk(in, Integer.parseInt(line));
			case '*' -> array(in, Integer.parseInt(line));
			default -> throw new IOException("not a RESP2 answer: '%c'%s".formatted(type, line));
		};
	}

	private static String bulk(InputStream in, int length) throws IOException {
		if (length < 0) {
			return null;
		}
		byte[] bytes = in.readNBytes(length);
		line(in);
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static List<Object> array(InputStream in, int length) throws IOException {
		if (length < 0) {
			return null;
		}
		List<Object> elements = new ArrayList<>(length);
		for (int i = 0; i < length; i++) {
			elements.add(read(in));
		}
		return elements;
	}

	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int previous = -1;
		int current;
		while ((current = in.read()) >= 0) {
			if (previous == '\r' && current == '\n') {
				byte[] bytes = line.toByteArray();
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
			}
			line.write(current);
			previous = current;
		}
		throw new IOException("connection closed mid-answer");
	}

}
