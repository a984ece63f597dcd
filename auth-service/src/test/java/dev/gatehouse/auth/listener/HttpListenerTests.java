package dev.gatehouse.auth.listener;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.gatehouse.auth.config.AuthProperties;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The listener's HTTP/1.x behaviour, over raw sockets: what Traefik, health checkers and odd clients send.
 */
class HttpListenerTests {

	private final AtomicInteger answered = new AtomicInteger();

	/** Answers of {@code /later}, completed by the test. */
	private final List<CompletableFuture<FullHttpResponse>> later = new CopyOnWriteArrayList<>();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private HttpListener listener;

	private int port;

	@AfterEach
	void stop() {
		if (this.listener != null && this.listener.isRunning()) {
			this.listener.stop();
		}
	}

	@Test
	void keepAliveServesEveryRequestOnOneConnection() throws IOException {
		start(Duration.ofSeconds(120));
		try (Client client = new Client(this.port)) {
			for (int i = 0; i < 1_000; i++) {
				client.send("GET /now?i=" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
				assertThat(client.read().status()).isEqualTo(200);
			}
			assertThat(this.answered).hasValue(1_000);
		}
	}

	@Test
	void pipelinedRequestsAreAnsweredInRequestOrder() throws IOException {
		start(Duration.ofSeconds(120));
		try (Client client = new Client(this.port)) {
			client.send("GET /later HTTP/1.1\r\nHost: a\r\n\r\nGET /now HTTP/1.1\r\nHost: a\r\n\r\nGET /missing HTTP/1.1\r\nHost: a\r\n\r\n");
			awaitLater(1);
			assertThat(this.answered).as("the later requests were answered first, inside").hasValue(1);
			this.later.get(0).complete(response(HttpResponseStatus.ACCEPTED, "later"));
			assertThat(List.of(client.read().status(), client.read().status(), client.read().status()))
				.containsExactly(202, 200, 404);
		}
	}

	@Test
	void http10ClosesUnlessAskedToKeepAlive() throws IOException {
		start(Duration.ofSeconds(120));
		try (Client client = new Client(this.port)) {
			client.send("GET /now HTTP/1.0\r\n\r\n");
			Response response = client.read();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.version()).isEqualTo("HTTP/1.0");
			assertThat(client.closed()).isTrue();
		}
		try (Client client = new Client(this.port)) {
			client.send("GET /now HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
			assertThat(client.read().header("connection")).isEqualToIgnoringCase("keep-alive");
			client.send("GET /now HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
			assertThat(client.read().status()).isEqualTo(200);
		}
	}

	@Test
	void connectionCloseIsAnsweredThenClosed() throws IOException {
		start(Duration.ofSeconds(120));
		try (Client client = new Client(this.port)) {
			client.send("GET /now HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /now HTTP/1.1\r\nHost: a\r\n\r\n");
			Response response = client.read();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.header("connection")).isEqualToIgnoringCase("close");
			assertThat(client.closed()).as("the request after close is not answered").isTrue();
			assertThat(this.answered).hasValue(1);
		}
	}

	@Test
	void oversizedOrMalformedRequestsGetAStatusAndTheConnectionCloses() throws IOException {
		start(Duration.ofSeconds(120));
		Map<String, Integer> cases = new LinkedHashMap<>();
		cases.put("GET /now?" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414);
		cases.put("GET /now HTTP/1.1\r\nHost: a\r\nCookie: " + "b".repeat(40_000) + "\r\n\r\n", 431);
		cases.put("GET /now HTTP/1.1\r\nHost: a\r\nContent-Length: ten\r\n\r\n", 400);
		cases.put("GET /now HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400);
		cases.put("GET /now HTTP/1.1\r\nHo st: a\r\n\r\n", 400);
		for (Map.Entry<String, Integer> request : cases.entrySet()) {
			try (Client client = new Client(this.port)) {
				client.send(request.getKey());
				Response response = client.read();
				assertThat(response.status()).as(request.getKey().substring(0, Math.min(40, request.getKey().length()))).isEqualTo(request.getValue());
				assertThat(client.closed()).isTrue();
			}
		}
		assertThat(this.answered).as("no route saw a malformed request").hasValue(0);
		try (Client client = new Client(this.port)) {
			client.send("POST /now HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nGET /now HTTP/1.1\r\n\r\n");
			assertThat(client.read().status()).as("the head was fine; its body is not needed").isEqualTo(200);
			assertThat(client.closed()).as("nothing after a malformed chunk can be parsed").isTrue();
		}
	}

	@Test
	void expectIsAnsweredWithoutWaitingForTheBody() throws IOException {
		start(Duration.ofSeconds(120));
		try (Client client = new Client(this.port)) {
			client.send("POST /now HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
			Response response = client.read();
			assertThat(response.status()).as("the final answer, no 100 Continue: the body is not needed").isEqualTo(200);
			assertThat(response.header("connection")).as("the client may skip the body").isEqualToIgnoringCase("close");
		}
		try (Client client = new Client(this.port)) {
			client.send("GET /now HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\nGET /now HTTP/1.1\r\nHost: a\r\n\r\n");
			assertThat(client.read().status()).isEqualTo(200);
			assertThat(client.read().status()).as("no body announced: the connection stays").isEqualTo(200);
		}
		try (Client client = new Client(this.port)) {
			client.send("GET /now HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n");
			assertThat(client.read().status()).isEqualTo(417);
		}
	}

	@Test
	void bodiesAreDiscardedAndTheConnectionGoesOn() throws IOException {
		start(Duration.ofSeconds(120));
		try (Client client = new Client(this.port)) {
			String body = "x".repeat(1 << 20);
			client.send("POST /now HTTP/1.1\r\nHost: a\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
					+ "PUT /now HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
					+ "GET /now HTTP/1.1\r\nHost: a\r\n\r\n");
			assertThat(List.of(client.read().status(), client.read().status(), client.read().status()))
				.containsExactly(200, 200, 200);
		}
	}

	@Test
	void headAnswersCarryNoBodyAndAbsoluteTargetsAreRouted() throws IOException {
		start(Duration.ofSeconds(120));
		try (Client client = new Client(this.port)) {
			client.send("HEAD /now HTTP/1.1\r\nHost: a\r\n\r\n");
			Response head = client.read(false);
			assertThat(head.header("content-length")).isEqualTo("3");
			client.send("GET http://gatehouse:8080/now?x=1 HTTP/1.1\r\nHost: a\r\n\r\n");
			Response get = client.read();
			assertThat(get.status()).isEqualTo(200);
			assertThat(get.body()).as("the next answer starts right after the HEAD answer's headers").isEqualTo("now");
			for (String path : List.of("/now/", "/Now", "//now", "/%6Eow", "*")) {
				client.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
				assertThat(client.read().status()).as(path).isEqualTo(404);
			}
		}
	}

	@Test
	void idleConnectionsAreClosedAfterTheIdleTimeout() throws IOException {
		start(Duration.ofMillis(300));
		try (Client client = new Client(this.port)) {
			client.send("GET /now HTTP/1.1\r\nHost: a\r\n\r\n");
			assertThat(client.read().status()).isEqualTo(200);
			assertThat(client.closed()).isTrue();
		}
	}

	@Test
	void aConnectionWaitingForAnAnswerIsNotIdle() throws IOException {
		start(Duration.ofMillis(300));
		try (Client client = new Client(this.port)) {
			client.send("GET /later HTTP/1.1\r\nHost: a\r\n\r\n");
			awaitLater(1);
			assertThat(client.staysOpenFor(Duration.ofSeconds(1))).as("open past three idle timeouts").isTrue();
			this.later.get(0).complete(response(HttpResponseStatus.ACCEPTED, "later"));
			assertThat(client.read().status()).isEqualTo(202);
			assertThat(client.closed()).as("idle once answered").isTrue();
		}
	}

	@Test
	void stoppingTurnsReadinessDownAnswersWhatIsInFlightThenCloses() throws Exception {
		start(Duration.ofSeconds(120));
		try (Client busy = new Client(this.port); Client idle = new Client(this.port)) {
			idle.send("GET /now HTTP/1.1\r\nHost: a\r\n\r\n");
			assertThat(idle.read().status()).isEqualTo(200);
			busy.send("GET /later HTTP/1.1\r\nHost: a\r\n\r\n");
			awaitLater(1);
			CompletableFuture<Void> stopping = CompletableFuture.runAsync(this.listener::stop);
			assertThat(idle.closed()).as("an idle connection closes at once").isTrue();
			assertThatExceptionOfType(IOException.class).as("no new connection is accepted")
				.isThrownBy(() -> new Client(this.port).close());
			assertThat(stopping).as("waiting for the request in flight").isNotDone();
			this.later.get(0).complete(response(HttpResponseStatus.OK, "done"));
			Response last = busy.read();
			assertThat(last.body()).isEqualTo("done");
			assertThat(last.header("connection")).isEqualToIgnoringCase("close");
			assertThat(busy.closed()).isTrue();
			stopping.get();
		}
		assertThat(this.events).first()
			.satisfies(event -> assertThat(((AvailabilityChangeEvent<?>) event).getState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC));
	}

	@Test
	void otherVersionsGet505AndHttp11WithoutHostGets400() throws IOException {
		start(Duration.ofSeconds(120));
		for (String version : List.of("HTTP/2.0", "HTTP/1.2", "HTTP/3.0")) {
			try (Client client = new Client(this.port)) {
				client.send("GET /now " + version + "\r\nHost: a\r\n\r\n");
				Response response = client.read();
				assertThat(response.status()).as(version).isEqualTo(505);
				assertThat(response.version()).isEqualTo("HTTP/1.1");
				assertThat(client.closed()).isTrue();
			}
		}
		try (Client client = new Client(this.port)) {
			client.send("GET /now HTTP/1.1\r\n\r\n");
			assertThat(client.read().status()).isEqualTo(400);
		}
		assertThat(this.answered).hasValue(0);
	}

	@Test
	void aClientThatDoesNotReadItsAnswersStopsBeingRead() throws Exception {
		start(Duration.ofSeconds(120));
		byte[] request = "GET /now HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		long total = 200L << 20;
		AtomicLong written = new AtomicLong();
		try (Client client = new Client(this.port)) {
			Thread writer = Thread.ofVirtual().start(() -> {
				byte[] batch = new byte[request.length * 1024];
				for (int i = 0; i < 1024; i++) {
					System.arraycopy(request, 0, batch, i * request.length, request.length);
				}
				try {
					while (written.get() < total) {
						client.socket.getOutputStream().write(batch);
						written.addAndGet(batch.length);
					}
				}
				catch (IOException ex) {
					// closed by the test
				}
			});
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(new java.util.concurrent.Callable<>() {
				private long last = -1;

				private int still;

				@Override
				public Boolean call() {
					long now = written.get();
					this.still = (now == this.last) ? this.still + 1 : 0;
					this.last = now;
					return this.still >= 10;
				}
			});
			assertThat(written.get()).as("the writer is blocked: the listener stopped reading").isLessThan(total);
			assertThat(this.answered.get()).as("requests read are bounded by the answers the client could buffer")
				.isLessThan((int) (written.get() / request.length));
			writer.interrupt();
		}
	}

	@Test
	void connectionsBeyondTheCapAreClosedAndSlowHeadsAreCutOff() throws Exception {
		start(new HttpListenerProperties(0, "127.0.0.1", 1, Duration.ofSeconds(120), DataSize.ofKilobytes(8),
				DataSize.ofKilobytes(16), Duration.ofMillis(300), 2, Duration.ofSeconds(10)));
		try (Client first = new Client(this.port); Client slow = new Client(this.port)) {
			first.send("GET /now HTTP/1.1\r\nHost: a\r\n\r\n");
			assertThat(first.read().status()).isEqualTo(200);
			try (Client third = new Client(this.port)) {
				assertThat(third.closed()).as("a third connection is over the cap").isTrue();
			}
			slow.send("GET /now HTTP/1.1\r\nHost: a\r\n");
			assertThat(slow.closed()).as("a head that does not complete is cut off").isTrue();
			// the idle time is the scenario, not a wait (the absence of a close cannot be awaited): longer than
			// the 300 ms head timeout plus one 300 ms check period, so a listener that applied the head timeout
			// between requests would have closed the first connection by now
			Thread.sleep(Duration.ofMillis(700));
			first.send("GET /now HTTP/1.1\r\nHost: a\r\n\r\n");
			assertThat(first.read().status()).as("an idle connection between requests is not cut off").isEqualTo(200);
		}
	}

	@Test
	void aHeadStartedInTheReadThatCompletedTheRequestBeforeItIsCutOffToo() throws Exception {
		start(new HttpListenerProperties(0, "127.0.0.1", 1, Duration.ofSeconds(120), DataSize.ofKilobytes(8),
				DataSize.ofKilobytes(16), Duration.ofMillis(300), 8, Duration.ofSeconds(10)));
		// the next head cut at a line's end (Netty has consumed it) or inside a line (bytes still buffered)
		for (String next : List.of("GET /now HTTP/1.1\r\n", "GET /now HTTP/1.1\r\nHo")) {
			try (Client client = new Client(this.port)) {
				client.send("GET /now HTTP/1.1\r\nHost: a\r\n\r\n" + next);
				assertThat(client.read().status()).isEqualTo(200);
				assertThat(client.closed()).as("within the head timeout, not the idle timeout: %s", next).isTrue();
			}
		}
	}

	private void awaitLater(int count) {
		await().atMost(Duration.ofSeconds(5)).until(() -> this.later.size() >= count);
	}

	private void start(Duration idleTimeout) {
		start(new HttpListenerProperties(0, "127.0.0.1", 1, idleTimeout, DataSize.ofKilobytes(8), DataSize.ofKilobytes(32),
				Duration.ofSeconds(10), 1024, Duration.ofSeconds(10)));
	}

	private void start(HttpListenerProperties properties) {
		HttpRoute now = route("/now", () -> {
			this.answered.incrementAndGet();
			return CompletableFuture.completedFuture(response(HttpResponseStatus.OK, "now"));
		});
		HttpRoute later = route("/later", () -> {
			CompletableFuture<FullHttpResponse> answer = new CompletableFuture<>();
			this.later.add(answer);
			return answer;
		});
		StandardEnvironment environment = new StandardEnvironment();
		this.listener = new HttpListener(properties, authProperties(), List.of(now, later), this.events::add, environment);
		this.listener.start();
		this.port = environment.getRequiredProperty("local.server.port", Integer.class);
	}

	private static AuthProperties authProperties() {
		return new AuthProperties(Duration.ofSeconds(1), 1, 10, Duration.ofMinutes(1), Duration.ofHours(1),
				Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(2),
				Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(250), "test", Duration.ZERO);
	}

	private static HttpRoute route(String path, java.util.function.Supplier<CompletableFuture<FullHttpResponse>> answer) {
		return new HttpRoute() {
			@Override
			public String path() {
				return path;
			}

			@Override
			public CompletableFuture<FullHttpResponse> answer(HttpRequest request, EventExecutor loop) {
				return answer.get();
			}
		};
	}

	private static FullHttpResponse response(HttpResponseStatus status, String body) {
		return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
				Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.US_ASCII)));
	}

	record Response(String version, int status, Map<String, String> headers, String body) {

		String header(String name) {
			return this.headers.get(name);
		}

	}

	/** A raw HTTP/1.x client: writes bytes as given, parses answers strictly. */
	private static final class Client implements AutoCloseable {

		private final Socket socket;

		private final InputStream in;

		Client(int port) throws IOException {
			this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
			this.socket.setSoTimeout(10_000);
			this.in = this.socket.getInputStream();
		}

		void send(String request) throws IOException {
			this.socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
			this.socket.getOutputStream().flush();
		}

		Response read() throws IOException {
			return read(true);
		}

		Response read(boolean withBody) throws IOException {
			List<String> lines = new ArrayList<>();
			for (String line = line(); !line.isEmpty(); line = line()) {
				lines.add(line);
			}
			String[] statusLine = lines.get(0).split(" ", 3);
			Map<String, String> headers = new LinkedHashMap<>();
			for (String header : lines.subList(1, lines.size())) {
				int colon = header.indexOf(':');
				headers.put(header.substring(0, colon).toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
			}
			int length = withBody ? Integer.parseInt(headers.getOrDefault("content-length", "0")) : 0;
			String body = new String(this.in.readNBytes(length), StandardCharsets.ISO_8859_1);
			return new Response(statusLine[0], Integer.parseInt(statusLine[1]), headers, body);
		}

		/** Whether the server closed the connection (reads end of stream, within the socket timeout). */
		/** Whether nothing arrives, not even the end of the stream, for this long. */
		boolean staysOpenFor(Duration time) throws IOException {
			this.socket.setSoTimeout((int) time.toMillis());
			try {
				this.in.read();
				return false;
			}
			catch (java.net.SocketTimeoutException ex) {
				return true;
			}
			finally {
				this.socket.setSoTimeout(10_000);
			}
		}

		boolean closed() throws IOException {
			try {
				return this.in.read() < 0;
			}
			catch (java.net.SocketException ex) {
				return true;
			}
		}

		private String line() throws IOException {
			ByteArrayOutputStream line = new ByteArrayOutputStream();
			int b;
			while ((b = this.in.read()) != '\n') {
				if (b < 0) {
					throw new IOException("connection closed mid-answer");
				}
				if (b != '\r') {
					line.write(b);
				}
			}
			return line.toString(StandardCharsets.ISO_8859_1);
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
