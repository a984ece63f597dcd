package dev.gatehouse.system;

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
		double total = 0;
		for (Meter meter : meters.find(name).meters()) {
			total += switch (meter) {
				case Counter counter -> counter.count();
				case FunctionCounter counter -> counter.count();
				case Timer timer -> timer.count();
				default -> throw new IllegalArgumentException("%s is not countable".formatted(name));
			};
		}
		return total;
	}

	static double count(MeterRegistry meters, String name, String tag, String value) {
		double total = 0;
		for (Meter meter : meters.find(name).tag(tag, value).meters()) {
			if (meter instanceof Counter counter) {
				total += counter.count();
			}
			else if (meter instanceof FunctionCounter counter) {
				total += counter.count();
			}
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
