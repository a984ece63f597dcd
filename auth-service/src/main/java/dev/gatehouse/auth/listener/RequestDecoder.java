package dev.gatehouse.auth.listener;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Netty's request decoder, telling whether it is in the middle of a request: bytes of a request have been
 * read that did not complete it yet (a partial head, which Netty consumes line by line, or a body). The
 * head timeout needs this after every read: one read may complete a request and start the next, and only
 * the decoder knows.
 */
final class RequestDecoder extends HttpRequestDecoder {

	private boolean inRequest;

	RequestDecoder(HttpDecoderConfig config) {
		super(config);
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
		int start = buffer.readerIndex();
		int emitted = out.size();
		super.decode(ctx, buffer, out);
		if (out.size() > emitted) {
			// each call returns after a message's last part, before reading any further
			this.inRequest = !(out.get(out.size() - 1) instanceof LastHttpContent);
		}
		else if (buffer.readerIndex() > start) {
			this.inRequest = true;
		}
	}

	/**
	 * @return whether a request has begun and not ended, including bytes not decoded yet
	 */
	boolean inRequest() {
		return this.inRequest || actualReadableBytes() > 0;
	}

}
