package dev.gatehouse.admin.outbound;

import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps a cut-off answer cut off. When the relay drops an app's connection mid-answer (it fails with Tomcat's
 * {@code CloseNowException}), Tomcat includes the error page into the already committed answer before it
 * closes the connection: this filter, ahead of every other on that dispatch, lets nothing be written,
 * so the app gets no byte past the limit and the log no second error.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class CutOffAnswerFilter extends OncePerRequestFilter {

	/** Set on a request whose answer the relay cut off, to the reason. */
	static final String CUT_OFF = CutOffAnswerFilter.class.getName() + ".CUT_OFF";

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		// Tomcat includes the error page (an INCLUDE dispatch of the ERROR request)
		return request.getDispatcherType() == DispatcherType.REQUEST || request.getAttribute(CUT_OFF) == null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		// nothing: the connection closes right after this dispatch
	}

}
