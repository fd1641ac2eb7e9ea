package io.agentkit.sync;

import java.time.Duration;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PollSchedule}.
 */
class PollScheduleTests {

	private static final Duration POLL_INTERVAL = Duration.ofMinutes(5);

	@Test
	void afterSuccessWithoutJitterIsThePollInterval() {
		PollSchedule schedule = new PollSchedule(POLL_INTERVAL, 0, fixed(0.99));
		assertThat(schedule.afterSuccess()).isEqualTo(POLL_INTERVAL);
	}

	@Test
	void afterFailureBacksOffExponentiallyFromOneSecondUpToThePollInterval() {
		PollSchedule schedule = new PollSchedule(Duration.ofSeconds(60), 0, fixed(0.5));
		assertThat(schedule.afterFailure(1, null)).isEqualTo(Duration.ofSeconds(1));
		assertThat(schedule.afterFailure(2, null)).isEqualTo(Duration.ofSeconds(2));
		assertThat(schedule.afterFailure(3, null)).isEqualTo(Duration.ofSeconds(4));
		assertThat(schedule.afterFailure(4, null)).isEqualTo(Duration.ofSeconds(8));
		assertThat(schedule.afterFailure(6, null)).isEqualTo(Duration.ofSeconds(32));
		assertThat(schedule.afterFailure(7, null)).isEqualTo(Duration.ofSeconds(60));
		assertThat(schedule.afterFailure(8, null)).isEqualTo(Duration.ofSeconds(60));
	}

	@Test
	void afterFailureNeverOverflowsForVeryLongRuns() {
		PollSchedule schedule = new PollSchedule(POLL_INTERVAL, 0, fixed(0.5));
		assertThat(schedule.afterFailure(Integer.MAX_VALUE, null)).isEqualTo(POLL_INTERVAL);
	}

	@Test
	void afterFailureTreatsZeroFailuresAsTheFirst() {
		PollSchedule schedule = new PollSchedule(POLL_INTERVAL, 0, fixed(0.5));
		assertThat(schedule.afterFailure(0, null)).isEqualTo(PollSchedule.INITIAL_BACK_OFF);
	}

	@Test
	void jitterAtTheExtremesOfTheRandomRangeStaysWithinTheFraction() {
		PollSchedule low = new PollSchedule(Duration.ofSeconds(100), 0.1, fixed(0.0));
		PollSchedule high = new PollSchedule(Duration.ofSeconds(100), 0.1, fixed(Math.nextDown(1.0)));
		PollSchedule middle = new PollSchedule(Duration.ofSeconds(100), 0.1, fixed(0.5));
		assertThat(low.afterSuccess()).isEqualTo(Duration.ofSeconds(90));
		assertThat(high.afterSuccess()).isBetween(Duration.ofMillis(109_999), Duration.ofSeconds(110));
		assertThat(middle.afterSuccess()).isEqualTo(Duration.ofSeconds(100));
		assertThat(low.afterFailure(3, null)).isEqualTo(Duration.ofMillis(3600));
	}

	@Test
	void jitterSpreadsDelaysAcrossTheWholeRange() {
		PollSchedule schedule = new PollSchedule(Duration.ofSeconds(100), 0.2, RandomGenerator.of("L64X128MixRandom"));
		Duration shortest = Duration.ofDays(1);
		Duration longest = Duration.ZERO;
		for (int i = 0; i < 2000; i++) {
			Duration delay = schedule.afterSuccess();
			assertThat(delay).isBetween(Duration.ofSeconds(80), Duration.ofSeconds(120));
			shortest = (delay.compareTo(shortest) < 0) ? delay : shortest;
			longest = (delay.compareTo(longest) > 0) ? delay : longest;
		}
		assertThat(shortest).isLessThan(Duration.ofSeconds(82));
		assertThat(longest).isGreaterThan(Duration.ofSeconds(118));
	}

	@Test
	void retryAfterLongerThanTheBackOffIsHonoured() {
		PollSchedule schedule = new PollSchedule(POLL_INTERVAL, 0.1, fixed(Math.nextDown(1.0)));
		assertThat(schedule.afterFailure(1, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void retryAfterLongerThanThePollIntervalIsHonoured() {
		PollSchedule schedule = new PollSchedule(Duration.ofSeconds(10), 0, fixed(0.5));
		assertThat(schedule.afterFailure(1, Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(120));
	}

	@Test
	void retryAfterIsHonouredUpToAnHourOrThePollIntervalWhenLonger() {
		PollSchedule schedule = new PollSchedule(Duration.ofMinutes(5), 0, fixed(0.5));
		assertThat(schedule.afterFailure(1, Duration.ofMinutes(59))).isEqualTo(Duration.ofMinutes(59));
		assertThat(schedule.afterFailure(1, Duration.ofDays(3))).isEqualTo(PollSchedule.MAX_RETRY_AFTER);
		assertThat(schedule.afterFailure(1, Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Duration.ofHours(1));
		PollSchedule daily = new PollSchedule(Duration.ofDays(1), 0, fixed(0.5));
		assertThat(daily.afterFailure(1, Duration.ofDays(3))).isEqualTo(Duration.ofDays(1));
	}

	@Test
	void pollIntervalOfCenturiesIsJitteredWithoutOverflow() {
		Duration centuries = Duration.ofDays(365L * 1000);
		PollSchedule schedule = new PollSchedule(centuries, 0.1, fixed(1.0));
		assertThat(schedule.afterSuccess()).isEqualTo(Duration.ofMillis((long) (centuries.toMillis() * 1.1)));
		assertThat(schedule.afterFailure(40, Duration.ofDays(365L * 2000))).isEqualTo(centuries);
	}

	@Test
	void retryAfterShorterThanTheBackOffDoesNotShortenIt() {
		PollSchedule schedule = new PollSchedule(POLL_INTERVAL, 0, fixed(0.5));
		assertThat(schedule.afterFailure(4, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(8));
	}

	static RandomGenerator fixed(double value) {
		return new RandomGenerator() {

			@Override
			public long nextLong() {
				throw new UnsupportedOperationException();
			}

			@Override
			public double nextDouble() {
				return value;
			}

		};
	}

}
