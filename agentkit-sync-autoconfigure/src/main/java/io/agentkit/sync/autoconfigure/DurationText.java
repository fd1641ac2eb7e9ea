package io.agentkit.sync.autoconfigure;

import java.time.Duration;

/**
 * A duration as it would be written in a property, in the largest of Spring Boot's units
 * that holds it whole ({@code 15m}, {@code 330s}, {@code 1500ms}, {@code -5s}), for
 * startup messages that quote a value back to whoever wrote it.
 */
final class DurationText {

	private DurationText() {
	}

	/**
	 * Return a duration in the largest of Spring Boot's units that holds it whole.
	 * @param duration the duration, of any length
	 * @return its text, such as {@code 15m} or {@code 0s}
	 */
	static String of(Duration duration) {
		if (duration.isNegative()) {
			return "-" + of(duration.negated());
		}
		long seconds = duration.getSeconds();
		int nanos = duration.getNano();
		if (nanos == 0) {
			if (seconds != 0 && seconds % 86_400 == 0) {
				return (seconds / 86_400) + "d";
			}
			if (seconds != 0 && seconds % 3_600 == 0) {
				return (seconds / 3_600) + "h";
			}
			return (seconds != 0 && seconds % 60 == 0) ? (seconds / 60) + "m" : seconds + "s";
		}
		// Seconds with a fraction are short enough to count in the unit of the fraction.
		if (nanos % 1_000_000 == 0) {
			return (seconds * 1000 + nanos / 1_000_000) + "ms";
		}
		if (nanos % 1000 == 0) {
			return (seconds * 1_000_000 + nanos / 1000) + "us";
		}
		return (seconds < Long.MAX_VALUE / 1_000_000_000) ? (seconds * 1_000_000_000 + nanos) + "ns"
				: duration.toString();
	}

}
