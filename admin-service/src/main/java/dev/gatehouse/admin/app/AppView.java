package dev.gatehouse.admin.app;

import java.time.Instant;
import java.util.Map;

import dev.gatehouse.model.app.AppStatus;
import dev.gatehouse.model.app.PathRule;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An app as the admin API shows it.
 *
 * @param name its DNS label
 * @param status its lifecycle status
 * @param paths path prefix to rule
 * @param lifecycle start and stop settings
 * @param lastAccess the last recorded access, or null
 */
record AppView(String name, AppStatus status, Map<String, PathRule> paths, Lifecycle lifecycle,
		@Schema(types = { "string", "null" }, format = "date-time") Instant lastAccess) {
}
