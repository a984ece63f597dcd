package dev.gatehouse.auth.listener;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.x connection: routes each request by its exact path, and writes the answers in request
 * order (pipelining), whichever completes first. Bodies are never read, only discarded: no endpoint
 * needs one.
 * <p>
 * Memory per connection is bounded: it stops reading while its answers are not being read (the socket's
 * send buffer and Netty's outbound buffer past the high water mark) or while {@value #MAX_UNANSWERED}
 * requests wait for their answers, and reads again when they drain. A client that pipelines without
 * reading gets its requests answered at the pace it reads the answers, nothing piles up.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {

	private static final Logger logger = LoggerFactory.getLogger(HttpConnection.class);

	/** Requests read whose answers are still being computed; past this, reading pauses. */
	static final int MAX_UNANSWERED = 32;

	private final Map<String, HttpRoute> routes;

	/** Requests whose answers are not written yet, oldest first; empty on the warm path. */
	private final ArrayDeque<Exchange> unanswered = new ArrayDeque<>();

	/** No further request is read: the last answer closes the connection. */
	private boolean closing;

	/** The listener is stopping: answer what was asked, then close. */
	private boolean draining;

	private final long headTimeoutNanos;

	private final long idleTimeoutNanos;

	/** When the first byte of the request now arriving came; 0 while none is arriving. */
	private long headStarted;

	/** When bytes last arrived, or the connection opened. */
	private long lastRead;

	/** Checks both timeouts periodically; their precision is one period. */
	private ScheduledFuture<?> timeoutCheck;

	HttpConnection(Map<String, HttpRoute> routes, Duration headTimeout, Duration idleTimeout) {
		this.routes = routes;
		this.headTimeoutNanos = headTimeout.toNanos();
		this.idleTimeoutNanos = idleTimeout.toNanos();
	}

	/**
	 * Bytes arrived (called by the handler before the codec).
	 */
	void bytesArrived() {
		this.lastRead = System.nanoTime();
	}

	/**
	 * The codec has decoded what the last read brought (called by the handler before the codec, once the
	 * read went through). From the first byte of a request, its head and any body must arrive within one to
	 * two head timeouts, so a client cannot hold a connection and its buffers by sending a request slowly. A
	 * read may complete one request and start the next: the next one's time starts with that read. A
	 * timestamp per read, no timer per request.
	 * @param inRequest whether the decoder is in the middle of a request
	 */
	void bytesDecoded(boolean inRequest) {
		if (!inRequest) {
			this.headStarted = 0;
		}
		else if (this.headStarted == 0) {
			this.headStarted = this.lastRead | 1;
		}
	}

	private void requestArrived() {
		this.headStarted = 0;
	}

	/**
	 * Starts the timeouts: one periodic check per connection, rather than a timer per request or a
	 * listener per write.
	 */
	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		this.lastRead = System.nanoTime();
		long period = Math.min(this.headTimeoutNanos, this.idleTimeoutNanos);
		this.timeoutCheck = ctx.executor()
			.scheduleAtFixedRate(() -> checkTimeouts(ctx), period, period, TimeUnit.NANOSECONDS);
		ctx.fireChannelActive();
	}

	private void checkTimeouts(ChannelHandlerContext ctx) {
		long now = System.nanoTime();
		if (this.headStarted != 0 && now - this.headStarted > this.headTimeoutNanos) {
			logger.debug("Closing a connection whose request did not arrive within the head timeout");
			ctx.close();
		}
		else if (this.headStarted == 0 && this.unanswered.isEmpty() && now - this.lastRead > this.idleTimeoutNanos) {
			// idle: no request arriving, none waiting for its answer, nothing read for the idle timeout
			ctx.close();
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object message) {
		try {
			if (message instanceof HttpRequest request) {
				requestArrived();
				request(ctx, request);
			}
			else if (message instanceof HttpContent content && content.decoderResult().isFailure()) {
				// a malformed body (a bad chunk size) of a request that may be answered already: nothing
				// after it can be parsed, so the connection ends once the answers before it are written
				this.closing = true;
				if (this.unanswered.isEmpty()) {
					ctx.close();
				}
			}
			if (message instanceof LastHttpContent) {
				requestArrived();
			}
		}
		finally {
			ReferenceCountUtil.release(message);
		}
	}

	private void request(ChannelHandlerContext ctx, HttpRequest request) {
		if (this.closing) {
			return;
		}
		DecoderResult decoded = request.decoderResult();
		if (decoded.isFailure()) {
			refuse(ctx, switch (decoded.cause()) {
				case TooLongHttpLineException ex -> HttpResponseStatus.REQUEST_URI_TOO_LONG;
				case TooLongHttpHeaderException ex -> HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
				default -> HttpResponseStatus.BAD_REQUEST;
			});
			return;
		}
		HttpVersion version = request.protocolVersion();
		if (version.majorVersion() != 1 || version.minorVersion() > 1) {
			refuse(ctx, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED);
			return;
		}
		if (version.minorVersion() == 1 && !request.headers().contains(HttpHeaderNames.HOST)) {
			// RFC 9112 §3.2: a server must answer 400 to an HTTP/1.1 request without Host
			refuse(ctx, HttpResponseStatus.BAD_REQUEST);
			return;
		}
		boolean keepAlive = HttpUtil.isKeepAlive(request) && !this.draining;
		String expect = request.headers().get(HttpHeaderNames.EXPECT);
		if (expect != null) {
			// the answer never needs the body: answer at once, without 100 Continue, and since the
			// client may then skip the body it announced, close rather than guess where the next request starts
			keepAlive &= !hasBody(request);
			if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect)) {
				answer(ctx, new Exchange(version, keepAlive, false),
						CompletableFuture.completedFuture(HttpRoute.empty(HttpResponseStatus.EXPECTATION_FAILED)));
				return;
			}
		}
		HttpRoute route = this.routes.get(path(request.uri()));
		CompletableFuture<FullHttpResponse> answer;
		if (route == null) {
			answer = CompletableFuture.completedFuture(HttpRoute.empty(HttpResponseStatus.NOT_FOUND));
		}
		else {
			try {
				answer = route.answer(request, ctx.executor());
			}
			catch (RuntimeException ex) {
				logger.error("Route {} failed", route.path(), ex);
				answer = CompletableFuture.completedFuture(HttpRoute.empty(HttpResponseStatus.INTERNAL_SERVER_ERROR));
			}
		}
		answer(ctx, new Exchange(version, keepAlive, HttpMethod.HEAD.equals(request.method())), answer);
	}

	private void answer(ChannelHandlerContext ctx, Exchange exchange, CompletableFuture<FullHttpResponse> answer) {
		if (!exchange.keepAlive) {
			this.closing = true;
		}
		if (this.unanswered.isEmpty() && answer.state() == Future.State.SUCCESS) {
			write(ctx, exchange, answer.resultNow());
			ctx.flush();
			if (!ctx.channel().isWritable()) {
				updateReading(ctx);
			}
			return;
		}
		this.unanswered.add(exchange);
		updateReading(ctx);
		answer.whenComplete((response, failure) -> ctx.executor().execute(() -> {
			if (failure != null) {
				logger.error("An answer failed", failure);
			}
			exchange.response = (response != null) ? response : HttpRoute.empty(HttpResponseStatus.INTERNAL_SERVER_ERROR);
			writeAnswered(ctx);
		}));
	}

	private void writeAnswered(ChannelHandlerContext ctx) {
		if (!ctx.channel().isActive()) {
			return;
		}
		boolean wrote = false;
		while (!this.unanswered.isEmpty() && this.unanswered.peek().response != null) {
			Exchange exchange = this.unanswered.poll();
			write(ctx, exchange, exchange.response);
			wrote = true;
		}
		if (wrote) {
			ctx.flush();
			updateReading(ctx);
		}
	}

	/** Reads only while the client takes its answers and few requests wait for theirs. */
	private void updateReading(ChannelHandlerContext ctx) {
		ctx.channel().config().setAutoRead(ctx.channel().isWritable() && this.unanswered.size() < MAX_UNANSWERED);
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) {
		updateReading(ctx);
		ctx.fireChannelWritabilityChanged();
	}

	private void write(ChannelHandlerContext ctx, Exchange exchange, FullHttpResponse response) {
		boolean keepAlive = exchange.keepAlive && !((this.draining || this.closing) && this.unanswered.isEmpty());
		int length = response.content().readableBytes();
		if (exchange.head && length > 0) {
			FullHttpResponse withoutBody = response.replace(Unpooled.EMPTY_BUFFER);
			response.release();
			response = withoutBody;
		}
		response.setProtocolVersion(exchange.version);
		if (length == 0) {
			response.headers().set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
		}
		else {
			HttpUtil.setContentLength(response, length);
		}
		HttpUtil.setKeepAlive(response, keepAlive);
		ctx.write(response).addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
	}

	/** A request the codec could not parse: answered in turn, then the connection closes. */
	private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status) {
		if (!this.closing) {
			answer(ctx, new Exchange(HttpVersion.HTTP_1_1, false, false),
					CompletableFuture.completedFuture(HttpRoute.empty(status)));
		}
	}

	/**
	 * Stops taking requests: answers those already read, then closes. Runs on the connection's event loop.
	 * @param ctx this handler's context
	 */
	void drain(ChannelHandlerContext ctx) {
		this.draining = true;
		if (this.unanswered.isEmpty()) {
			ctx.close();
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		if (this.timeoutCheck != null) {
			this.timeoutCheck.cancel(false);
		}
		this.closing = true;
		for (Exchange exchange : this.unanswered) {
			ReferenceCountUtil.release(exchange.response);
		}
		this.unanswered.clear();
		ctx.fireChannelInactive();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		logger.debug("Closing a connection after an I/O error: {}", cause.toString());
		ctx.close();
	}

	/**
	 * The path of a request target: origin form ({@code /a?b}) or absolute form ({@code http://h/a?b}).
	 */
	static String path(String target) {
		int start = 0;
		if (!target.startsWith("/")) {
			int scheme = target.indexOf("://");
			if (scheme < 0) {
				return target;
			}
			start = target.indexOf('/', scheme + 3);
			if (start < 0) {
				return "/";
			}
		}
		int query = target.indexOf('?', start);
		return target.substring(start, (query >= 0) ? query : target.length());
	}

	private static boolean hasBody(HttpRequest request) {
		return HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
	}

	/** A request in turn for its answer. */
	private static final class Exchange {

		private final HttpVersion version;

		private final boolean keepAlive;

		/** A {@code HEAD} request: its answer has the body's headers and no body. */
		private final boolean head;

		/** Set on the event loop once the answer is ready. */
		private FullHttpResponse response;

		Exchange(HttpVersion version, boolean keepAlive, boolean head) {
			this.version = version;
			this.keepAlive = keepAlive;
			this.head = head;
		}

	}

}
