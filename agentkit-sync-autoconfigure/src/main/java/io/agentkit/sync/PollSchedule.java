package io.agentkit.sync;

import java.time.Duration;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;

/**
 * When the next version check is due: the poll interval after a success, an exponential
 * back-off after failures (1 s, 2 s, 4 s, ... capped at the poll interval), never sooner
 * than a server's {@code Retry-After}, which is honoured up to an hour, or up to the poll
 * interval when that is longer. Every delay is varied at random by up to the jitter
 * fraction so that a fleet of applications does not poll in lockstep. Thread-safe when
 * the random generator is.
 */
public class PollSchedule {

	/**
	 * The first delay after a failure.
	 */
	public static final Duration INITIAL_BACK_OFF = Duration.ofSeconds(1);

	/**
	 * The longest {@code Retry-After} honoured, unless the poll interval is longer.
	 */
	public static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

	private final Duration pollInterval;

	private final double jitter;

	private final RandomGenerator random;

	/**
	 * Create a schedule.
	 * @param pollInterval the delay between checks while all is well
	 * @param jitter the fraction, from 0 to 1 (exclusive), by which each delay may vary
	 * @param random the source of jitter
	 */
	public PollSchedule(Duration pollInterval, double jitter, RandomGenerator random) {
		this.pollInterval = pollInterval;
		this.jitter = jitter;
		this.random = random;
	}

	/**
	 * Return the delay after a successful check or pull.
	 * @return the delay
	 */
	public Duration afterSuccess() {
		return jittered(this.pollInterval);
	}

	/**
	 * Return the delay after a failure.
	 * @param consecutiveFailures the number of failures in a row, at least 1
	 * @param retryAfter the delay the server asked for, or {@code null}; honoured up to
	 * {@link #MAX_RETRY_AFTER} or the poll interval, whichever is longer
	 * @return the delay
	 */
	public Duration afterFailure(int consecutiveFailures, @Nullable Duration retryAfter) {
		int doublings = Math.min(Math.max(consecutiveFailures, 1) - 1, 30);
		Duration backOff = INITIAL_BACK_OFF.multipliedBy(1L << doublings);
		if (backOff.compareTo(this.pollInterval) > 0) {
			backOff = this.pollInterval;
		}
		Duration delay = jittered(backOff);
		if (retryAfter != null) {
			// A server asking for days (or for Long.MAX_VALUE seconds) is not waited for that long.
			Duration longest = (this.pollInterval.compareTo(MAX_RETRY_AFTER) > 0) ? this.pollInterval : MAX_RETRY_AFTER;
			Duration asked = (retryAfter.compareTo(longest) > 0) ? longest : retryAfter;
			if (asked.compareTo(delay) > 0) {
				return asked;
			}
		}
		return delay;
	}

	private Duration jittered(Duration delay) {
		if (this.jitter <= 0) {
			return delay;
		}
		double factor = 1 + this.jitter * (2 * this.random.nextDouble() - 1);
		// In milliseconds, which hold any delay a schedule could want; nanoseconds overflow past 292 years.
		return Duration.ofMillis((long) (delay.toMillis() * factor));
	}

}
