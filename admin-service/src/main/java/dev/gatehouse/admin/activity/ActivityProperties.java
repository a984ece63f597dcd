package dev.gatehouse.admin.activity;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the replicas' activity is recorded.
 *
 * @param activityDebounce the least time between two writes of an app's {@code last_access} or a
 * terminal's {@code last_connection}, however many replicas report it
 */
@ConfigurationProperties("gatehouse.admin")
record ActivityProperties(@DefaultValue("60s") Duration activityDebounce) {

	ActivityProperties {
		if (activityDebounce.isNegative()) {
			throw new IllegalArgumentException("gatehouse.admin.activity-debounce must not be negative, not " + activityDebounce);
		}
	}

}
