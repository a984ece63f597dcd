package dev.gatehouse.admin.lifecycle;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the app lifecycle.
 *
 * @param runtime {@code docker} to manage apps as Docker containers, {@code none} on hosts where apps
 * are not containers managed here (activity is still recorded)
 * @param period how often the control loop stops idle apps and starts always-on ones
 * @param startThrottle the least time between two start attempts for one app
 */
@ConfigurationProperties("gatehouse.admin.lifecycle")
public record LifecycleProperties(@DefaultValue("docker") String runtime, @DefaultValue("30s") Duration period,
		@DefaultValue("5s") Duration startThrottle) {

	public LifecycleProperties {
		if (!runtime.equals("docker") && !runtime.equals("none")) {
			throw new IllegalArgumentException("gatehouse.admin.lifecycle.runtime must be docker or none, not " + runtime);
		}
		if (period.isNegative() || period.isZero()) {
			throw new IllegalArgumentException("gatehouse.admin.lifecycle.period must be positive, not " + period);
		}
		if (startThrottle.isNegative()) {
			throw new IllegalArgumentException("gatehouse.admin.lifecycle.start-throttle must not be negative, not " + startThrottle);
		}
	}

}
