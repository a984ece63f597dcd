package dev.gatehouse.admin.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.gatehouse.admin.config.Problems;
import dev.gatehouse.admin.identity.IdentityService;
import dev.gatehouse.admin.peer.PeerService;
import dev.gatehouse.model.peer.Peer;
import dev.gatehouse.model.signature.Signer;
import org.apache.coyote.CloseNowException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Sends one app's call on to a peer's app, signed as this installation, and streams the answer back.
 * <p>
 * Before anything is sent: the peer must be registered (404), this installation must have an identity to sign
 * with (503), and the target must be one {@link RelayTarget} accepts (400). The call carries the app's
 * {@code Content-Type}, {@code Accept} and {@code Accept-Language} and nothing else of its request (never its
 * cookies or credentials), plus the signature fields of {@link OutboundSignature}. Redirects are passed back,
 * never followed: a peer's app cannot send the relay anywhere but to itself.
 * <p>
 * Limits: a connection within the connect timeout, the whole call (answer headers and body) within the
 * timeout, an answer body of at most the configured size. Until the answer's status is sent back, a broken
 * limit is a problem: 504 for a timeout, 502 for an unreachable peer or a body announced
 * ({@code Content-Length}) larger than the limit. Once streaming has begun the status is gone: the relay stops
 * at the limit or the deadline and drops the connection to the app, which sees a truncated answer (a short
 * {@code Content-Length} body or an unterminated chunked one) rather than a complete-looking one.
 */
@Component
class OutboundRelay implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(OutboundRelay.class);

	/** What of the app's request the peer sees; never Cookie, Authorization or anything else. */
	private static final List<String> REQUEST_FIELDS = List.of("Content-Type", "Accept", "Accept-Language");

	/** What of the peer's answer the app sees: how to read the body, where a redirect points, caching. */
	private static final List<String> ANSWER_FIELDS = List.of("Content-Type", "Content-Encoding", "Content-Language",
			"Location", "Cache-Control", "ETag", "Last-Modified", "Retry-After");

	private static final int CHUNK = 16 * 1024;

	private final OutboundProperties properties;

	private final PeerService peers;

	private final IdentityService identities;

	private final Clock clock;

	private final HttpClient http;

	/** Ends calls whose answer is still streaming at their deadline, by closing the answer's body. */
	private final ScheduledExecutorService deadlines;

	OutboundRelay(OutboundProperties properties, PeerService peers, IdentityService identities, Clock clock) {
		this.properties = properties;
		this.peers = peers;
		this.identities = identities;
		this.clock = clock;
		// HTTP/1.1: no h2c upgrade attempt on plain http, and dropping a call drops just its connection
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(properties.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
			Thread thread = Executors.defaultThreadFactory().newThread(runnable);
			thread.setName("outbound-deadlines");
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setRemoveOnCancelPolicy(true);
		this.deadlines = scheduler;
	}

	/**
	 * Relays a call.
	 * @param target what the app called
	 * @param request the app's request, whose method, fields and body are sent on
	 * @param response where the peer's answer goes
	 * @throws IOException when the app's connection fails, or to drop it once the answer broke a limit
	 */
	void relay(RelayTarget target, HttpServletRequest request, HttpServletResponse response) throws IOException {
		Peer peer = this.peers.find(target.peer())
			.orElseThrow(() -> Problems.notFound("peer '%s' is not registered".formatted(target.peer())));
		Signer signer = this.identities.defaultSigner()
			.orElseThrow(() -> Problems.unavailable("this installation has no identity to sign with yet"));
		URI uri;
		try {
			uri = target.uri(this.properties.appUrl(), peer.domain());
		}
		catch (IllegalArgumentException ex) {
			throw Problems.badRequest(ex.getMessage());
		}
		byte[] body = body(request);
		String method = request.getMethod();
		HttpRequest.Builder call = HttpRequest.newBuilder(uri)
			.timeout(this.properties.timeout())
			.method(method, (body.length > 0) ? HttpRequest.BodyPublishers.ofByteArray(body)
					: HttpRequest.BodyPublishers.noBody());
		for (String field : REQUEST_FIELDS) {
			for (String value : Collections.list(request.getHeaders(field))) {
				call.header(field, value);
			}
		}
		OutboundSignature.fields(signer, method, uri, body, this.clock.instant()).forEach(call::header);
		long deadline = System.nanoTime() + this.properties.timeout().toNanos();
		HttpResponse<InputStream> answer = send(call.build(), peer);
		try (InputStream answerBody = answer.body()) {
			stream(answer, answerBody, deadline, peer, target, request, response);
		}
	}

	private HttpResponse<InputStream> send(HttpRequest call, Peer peer) {
		try {
			return this.http.send(call, HttpResponse.BodyHandlers.ofInputStream());
		}
		catch (HttpConnectTimeoutException ex) {
			throw problem(HttpStatus.GATEWAY_TIMEOUT, "peer '%s' did not accept a connection within %s"
				.formatted(peer.id(), this.properties.connectTimeout()));
		}
		catch (HttpTimeoutException ex) {
			throw problem(HttpStatus.GATEWAY_TIMEOUT,
					"peer '%s' did not answer within %s".formatted(peer.id(), this.properties.timeout()));
		}
		catch (ConnectException ex) {
			throw problem(HttpStatus.BAD_GATEWAY, "peer '%s' is unreachable".formatted(peer.id()));
		}
		catch (IOException ex) {
			throw problem(HttpStatus.BAD_GATEWAY, "peer '%s' failed: %s".formatted(peer.id(), ex.getClass().getSimpleName()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw problem(HttpStatus.SERVICE_UNAVAILABLE, "interrupted while calling peer '%s'".formatted(peer.id()));
		}
	}

	private void stream(HttpResponse<InputStream> answer, InputStream body, long deadline, Peer peer,
			RelayTarget target, HttpServletRequest request, HttpServletResponse response) throws IOException {
		long max = this.properties.maxResponseSize().toBytes();
		OptionalLong length = answer.headers().firstValueAsLong("Content-Length");
		if (!request.getMethod().equals("HEAD") && length.isPresent() && length.getAsLong() > max) {
			throw problem(HttpStatus.BAD_GATEWAY, "peer '%s' answered with %d bytes, more than the %d the relay passes on"
				.formatted(peer.id(), length.getAsLong(), max));
		}
		response.setStatus(answer.statusCode());
		for (String field : ANSWER_FIELDS) {
			for (String value : answer.headers().allValues(field)) {
				response.addHeader(field, value);
			}
		}
		if (length.isPresent()) {
			response.setContentLengthLong(length.getAsLong());
		}
		AtomicBoolean late = new AtomicBoolean();
		ScheduledFuture<?> timer = this.deadlines.schedule(() -> {
			late.set(true);
			closeQuietly(body);
		}, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		try {
			OutputStream out = response.getOutputStream();
			byte[] buffer = new byte[CHUNK];
			long copied = 0;
			while (true) {
				int n;
				try {
					n = body.read(buffer);
				}
				catch (IOException ex) {
					if (late.get()) {
						throw cutOff(request, response, HttpStatus.GATEWAY_TIMEOUT,
								"peer '%s' app '%s' did not finish its answer within %s".formatted(peer.id(), target.app(),
										this.properties.timeout()));
					}
					throw cutOff(request, response, HttpStatus.BAD_GATEWAY,
							"peer '%s' app '%s' broke off its answer".formatted(peer.id(), target.app()));
				}
				if (n < 0) {
					return;
				}
				if (copied + n > max) {
					throw cutOff(request, response, HttpStatus.BAD_GATEWAY, "peer '%s' app '%s' answered more than %d bytes"
						.formatted(peer.id(), target.app(), max));
				}
				out.write(buffer, 0, n);
				// streamed, not buffered: a long-polling or slowly produced answer reaches the app as it comes
				out.flush();
				copied += n;
			}
		}
		finally {
			timer.cancel(false);
		}
	}

	/**
	 * A broken limit while streaming: a problem while the status can still be changed, else the end of the
	 * app's connection, so that the app never mistakes the truncated answer for a complete one. Tomcat closes
	 * the connection at once when a handler fails with {@link CloseNowException} after the answer is committed
	 * (Spring passes it on, unlike a client abort, which it swallows); {@link CutOffAnswerFilter} keeps Tomcat's
	 * error page out of the answer.
	 */
	private static IOException cutOff(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
			String detail) {
		logger.warn("Outbound call cut off: {}", detail);
		if (!response.isCommitted()) {
			response.reset();
			throw problem(status, detail);
		}
		request.setAttribute(CutOffAnswerFilter.CUT_OFF, detail);
		return new CloseNowException(detail);
	}

	private static byte[] body(HttpServletRequest request) {
		try (InputStream in = request.getInputStream()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw Problems.badRequest("the request body could not be read (a relayed body has at most 256 KiB)");
		}
	}

	private static void closeQuietly(InputStream body) {
		try {
			body.close();
		}
		catch (IOException ex) {
			// closing is how the deadline ends the call: nothing left to do when it fails
		}
	}

	private static ErrorResponseException problem(HttpStatus status, String detail) {
		return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
	}

	@Override
	public void destroy() {
		this.deadlines.shutdownNow();
	}

}
