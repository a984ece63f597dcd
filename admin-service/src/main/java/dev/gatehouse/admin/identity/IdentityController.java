package dev.gatehouse.admin.identity;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/identities}: the portal's identities and which one is the default.
 */
@RestController
@RequestMapping("/api/identities")
class IdentityController {

	private final IdentityService identities;

	IdentityController(IdentityService identities) {
		this.identities = identities;
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	IdentityView create(@RequestBody IdentitySpec spec) {
		return this.identities.create(spec);
	}

	@GetMapping
	List<IdentityView> list() {
		return this.identities.list();
	}

	@GetMapping("/default")
	IdentityView getDefault() {
		return this.identities.getDefault();
	}

	@PutMapping("/{id}")
	IdentityView update(@PathVariable String id, @RequestBody IdentitySpec spec) {
		return this.identities.update(id, spec);
	}

	@PostMapping("/{id}/make-default")
	IdentityView makeDefault(@PathVariable String id) {
		return this.identities.makeDefault(id);
	}

}
