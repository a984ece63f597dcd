package dev.gatehouse.admin.outbound;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.gatehouse.admin.config.Problems;

import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /internal/peers/{peer}/apps/{app}/**}: apps inside the installation call a peer's app through the
 * relay, with the relay token (the access package's filter chain checks it). {@code HEAD} is served with
 * {@code GET}.
 */
@RestController
class OutboundRelayController {

	private final OutboundRelay relay;

	OutboundRelayController(OutboundRelay relay) {
		this.relay = relay;
	}

	@RequestMapping(path = "/internal/peers/{peer}/apps/{app}/**", method = { RequestMethod.GET, RequestMethod.POST,
			RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE })
	void relay(HttpServletRequest request, HttpServletResponse response) throws IOException {
		RelayTarget target;
		try {
			// the raw target, not the decoded path variables: what is checked is what is sent on
			target = RelayTarget.parse(request.getRequestURI().substring(request.getContextPath().length()),
					request.getQueryString());
		}
		catch (IllegalArgumentException ex) {
			throw Problems.badRequest(ex.getMessage());
		}
		this.relay.relay(target, request, response);
	}

}
