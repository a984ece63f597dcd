package dev.gatehouse.admin.peer;

import java.util.List;

import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/peers}: the other installations whose signed requests {@code peer} paths admit.
 */
@RestController
@RequestMapping("/api/peers")
class PeerController {

	private final PeerService peers;

	PeerController(PeerService peers) {
		this.peers = peers;
	}

	@PutMapping("/{id}")
	@ApiResponse(responseCode = "200", description = "Replaced")
	@ApiResponse(responseCode = "201", description = "Added")
	ResponseEntity<PeerView> put(@PathVariable String id, @RequestBody PeerSpec spec) {
		boolean created = this.peers.put(id, spec);
		return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(this.peers.get(id));
	}

	@GetMapping
	List<PeerView> list() {
		return this.peers.list();
	}

	@GetMapping("/{id}")
	PeerView get(@PathVariable String id) {
		return this.peers.get(id);
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String id) {
		this.peers.delete(id);
	}

}
