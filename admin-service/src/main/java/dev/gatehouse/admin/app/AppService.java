package dev.gatehouse.admin.app;

import java.util.List;

import dev.gatehouse.admin.changelog.ChangeLog;
import dev.gatehouse.admin.config.Problems;
import dev.gatehouse.model.app.AppName;
import dev.gatehouse.model.invalidation.CacheKind;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, replaces and deletes apps; every change goes through the change log.
 */
@Service
class AppService {

	private final AppRepository apps;

	private final ChangeLog changeLog;

	AppService(AppRepository apps, ChangeLog changeLog) {
		this.apps = apps;
		this.changeLog = changeLog;
	}

	/**
	 * Creates or replaces an app.
	 * @return true when it was created
	 */
	@Transactional
	boolean put(String name, AppSpec spec) {
		requireValidName(name);
		AppSpec.Validated valid = spec.validate();
		if (!valid.errors().isEmpty()) {
			throw Problems.invalid(valid.errors());
		}
		this.changeLog.lock();
		boolean created = this.apps.upsert(name, valid.paths(), valid.lifecycle());
		this.changeLog.record(CacheKind.APP, name);
		return created;
	}

	@Transactional(readOnly = true)
	AppView get(String name) {
		requireValidName(name);
		return this.apps.find(name).orElseThrow(() -> Problems.notFound("app '%s' does not exist".formatted(name)));
	}

	@Transactional(readOnly = true)
	List<AppView> list() {
		return this.apps.findAll();
	}

	@Transactional
	void delete(String name) {
		requireValidName(name);
		this.changeLog.lock();
		if (!this.apps.delete(name)) {
			throw Problems.notFound("app '%s' does not exist".formatted(name));
		}
		this.changeLog.recordRemoval(CacheKind.APP, name);
	}

	private static void requireValidName(String name) {
		if (!AppName.isValid(name)) {
			throw Problems.badRequest(
					"app name '%s' is not a DNS label (lower-case letters, digits and '-', at most 63)".formatted(name));
		}
	}

}
