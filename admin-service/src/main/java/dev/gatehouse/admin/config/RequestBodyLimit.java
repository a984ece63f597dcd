package dev.gatehouse.admin.config;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds what a request may make the admin read, before anything else reads it: a body larger than
 * {@value #MAX_BODY_BYTES} bytes is refused (413) from its {@code Content-Length}, or cut off (400) when it
 * streams without one, and a {@code Content-Type} that is malformed or a wildcard is refused (415). The
 * largest valid request, an app definition at its limits, is far below the bound.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestBodyLimit extends OncePerRequestFilter {

	static final int MAX_BODY_BYTES = 256 * 1024;

	private final JsonMapper json;

	RequestBodyLimit(JsonMapper json) {
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
		if (contentType != null && !concrete(contentType)) {
			ProblemResponses.write(this.json, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					"Content-Type must be a concrete media type such as application/json.");
			return;
		}
		if (request.getContentLengthLong() > MAX_BODY_BYTES) {
			ProblemResponses.write(this.json, response, HttpStatus.CONTENT_TOO_LARGE,
					"A request body may have at most %d bytes.".formatted(MAX_BODY_BYTES));
			return;
		}
		chain.doFilter(new Bounded(request), response);
	}

	private static boolean concrete(String contentType) {
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return !type.isWildcardType() && !type.isWildcardSubtype();
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	/** A request whose body stream fails past the bound (a chunked body has no length to check first). */
	private static final class Bounded extends HttpServletRequestWrapper {

		private ServletInputStream stream;

		Bounded(HttpServletRequest request) {
			super(request);
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new BoundedStream(super.getInputStream());
			}
			return this.stream;
		}

	}

	private static final class BoundedStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private long read;

		BoundedStream(ServletInputStream delegate) {
			this.delegate = delegate;
		}

		@Override
		public int read() throws IOException {
			int b = this.delegate.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = this.delegate.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws IOException {
			this.read += n;
			if (this.read > MAX_BODY_BYTES) {
				throw new IOException("request body larger than %d bytes".formatted(MAX_BODY_BYTES));
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

	}

}
