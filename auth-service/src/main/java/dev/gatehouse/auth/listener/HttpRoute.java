package dev.gatehouse.auth.listener;

import java.util.concurrent.CompletableFuture;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.EventExecutor;

/**
 * One path the listener serves, for every method. The listener owns the connection: it sets the
 * protocol version, {@code Content-Length} and {@code Connection} of the response, drops the body of a
 * {@code HEAD} answer, and writes answers in request order.
 */
public interface HttpRoute {

	/**
	 * The exact path (no query, no decoding) this route answers.
	 * @return the path
	 */
	String path();

	/**
	 * Answers a request. Runs on the connection's event loop and must never block it: an answer that
	 * needs I/O completes the future later, from any thread.
	 * @param request the request head (any body is discarded)
	 * @param loop the connection's event loop, to continue on
	 * @return the answer; already complete when it needed no I/O
	 */
	CompletableFuture<FullHttpResponse> answer(HttpRequest request, EventExecutor loop);

	/**
	 * An answer without a body.
	 * @param status its status
	 * @return the answer
	 */
	static FullHttpResponse empty(HttpResponseStatus status) {
		return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
	}

}
