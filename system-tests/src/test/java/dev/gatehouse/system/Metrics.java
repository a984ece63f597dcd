package dev.gatehouse.system;

import java.util.Collection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Reads counts from a service's meters, summed over all tags.
 */
final class Metrics {

	private Metrics() {
	}

	static double count(MeterRegistry meters, String name) {
		return sum(meters.find(name).meters(), name);
	}

	static double count(MeterRegistry meters, String name, String tag, String value) {
		return sum(meters.find(name).tag(tag, value).meters(), name);
	}

	private static double sum(Collection<Meter> found, String name) {
		double total = 0;
		for (Meter meter : found) {
			total += switch (meter) {
				case Counter counter -> counter.count();
				case FunctionCounter counter -> counter.count();
				case Timer timer -> timer.count();
				default -> throw new IllegalArgumentException("%s is not countable".formatted(name));
			};
		}
		return total;
	}

	static double gauge(MeterRegistry meters, String name) {
		double total = 0;
		for (Meter meter : meters.find(name).meters()) {
			if (meter instanceof io.micrometer.core.instrument.Gauge gauge) {
				total += gauge.value();
			}
		}
		return total;
	}

}
