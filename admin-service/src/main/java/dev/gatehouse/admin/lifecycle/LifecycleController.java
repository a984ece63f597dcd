package dev.gatehouse.admin.lifecycle;

import dev.gatehouse.model.app.AppStatus;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/apps/{name}/start} and {@code /stop}, through the same runtime as the control loop.
 */
@RestController
class LifecycleController {

	private final LifecycleService lifecycle;

	LifecycleController(LifecycleService lifecycle) {
		this.lifecycle = lifecycle;
	}

	@PostMapping("/api/apps/{name}/start")
	StatusView start(@PathVariable String name) {
		return new StatusView(name, this.lifecycle.start(name));
	}

	@PostMapping("/api/apps/{name}/stop")
	StatusView stop(@PathVariable String name) {
		return new StatusView(name, this.lifecycle.stop(name));
	}

	/**
	 * An app's status after an action.
	 *
	 * @param name the app
	 * @param status its status as the runtime reports it
	 */
	record StatusView(String name, AppStatus status) {
	}

}
