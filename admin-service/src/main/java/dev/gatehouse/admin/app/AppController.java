package dev.gatehouse.admin.app;

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
 * {@code /api/apps}: install, replace, list and remove apps.
 */
@RestController
@RequestMapping("/api/apps")
class AppController {

	private final AppService apps;

	AppController(AppService apps) {
		this.apps = apps;
	}

	@PutMapping("/{name}")
	@ApiResponse(responseCode = "200", description = "Replaced")
	@ApiResponse(responseCode = "201", description = "Created")
	ResponseEntity<AppView> put(@PathVariable String name, @RequestBody AppSpec spec) {
		boolean created = this.apps.put(name, spec);
		return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(this.apps.get(name));
	}

	@GetMapping
	List<AppView> list() {
		return this.apps.list();
	}

	@GetMapping("/{name}")
	AppView get(@PathVariable String name) {
		return this.apps.get(name);
	}

	@DeleteMapping("/{name}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String name) {
		this.apps.delete(name);
	}

}
