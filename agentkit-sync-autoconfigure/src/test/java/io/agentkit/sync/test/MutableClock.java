package io.agentkit.sync.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link Clock} that tests move by hand, so that schedules and freshness are tested
 * without sleeping. Thread-safe.
 */
public final class MutableClock extends Clock {

	private volatile Instant instant;

	/**
	 * Create a clock that reads the given instant until it is moved.
	 * @param instant the initial instant
	 */
	public MutableClock(Instant instant) {
		this.instant = instant;
	}

	/**
	 * Move the clock forward.
	 * @param duration how far
	 */
	public synchronized void advance(Duration duration) {
		this.instant = this.instant.plus(duration);
	}

	/**
	 * Set the clock.
	 * @param instant the new instant
	 */
	public void set(Instant instant) {
		this.instant = instant;
	}

	@Override
	public Instant instant() {
		return this.instant;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("A MutableClock stays in UTC");
	}

}
