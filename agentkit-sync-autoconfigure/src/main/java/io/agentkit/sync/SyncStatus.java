package io.agentkit.sync;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * How the sync is doing: an immutable view, replaced as a whole after every cycle.
 *
 * @param source where the configuration in force came from
 * @param lastSuccessAt when the configuration in force was last confirmed by the server
 * (a successful check or pull, or for a cached configuration the time it was cached), or
 * {@code null}
 * @param consecutiveFailures the number of failed cycles since the last success
 * @param lastError a short message describing the last failure, or {@code null} after a
 * success
 * @param cacheError a short message describing why the cache could not be read or
 * written, or {@code null} when it works
 * @param nextPollAt when the next version check is due, or {@code null} when polling is
 * stopped
 */
public record SyncStatus(ConfigSource source, @Nullable Instant lastSuccessAt, int consecutiveFailures,
		@Nullable String lastError, @Nullable String cacheError, @Nullable Instant nextPollAt) {

	/**
	 * The status before anything happened.
	 */
	public static final SyncStatus INITIAL = new SyncStatus(ConfigSource.NONE, null, 0, null, null, null);

	/**
	 * How much later than now a confirmation may be and still be taken for now: clocks of
	 * machines that share a cache differ by a little.
	 */
	static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(1);

	/**
	 * Return how long ago the configuration in force was last confirmed.
	 * @param now the current instant
	 * @return the age (never negative), or {@code null} when no configuration is in force
	 * or its age is unknown: a cache that does not say when it was written, or a
	 * confirmation later than now by more than a minute (a cache written by a machine
	 * whose clock was ahead, or a clock set back since)
	 */
	public @Nullable Duration age(Instant now) {
		if (this.lastSuccessAt == null || isLaterThan(now)) {
			return null;
		}
		Duration age = Duration.between(this.lastSuccessAt, now);
		return age.isNegative() ? Duration.ZERO : age;
	}

	/**
	 * Return whether the configuration in force was confirmed later than the given
	 * instant by more than the clocks of two machines differ, so that its age is unknown.
	 */
	boolean isLaterThan(Instant now) {
		return this.lastSuccessAt != null && this.lastSuccessAt.isAfter(now.plus(CLOCK_TOLERANCE));
	}

	SyncStatus withSuccess(ConfigSource source, Instant at) {
		return new SyncStatus(source, at, 0, null, this.cacheError, this.nextPollAt);
	}

	SyncStatus withCachedConfiguration(@Nullable Instant cachedAt) {
		return new SyncStatus(ConfigSource.CACHE, cachedAt, this.consecutiveFailures, this.lastError, this.cacheError,
				this.nextPollAt);
	}

	SyncStatus withFailure(String error) {
		return new SyncStatus(this.source, this.lastSuccessAt, this.consecutiveFailures + 1, error, this.cacheError,
				this.nextPollAt);
	}

	SyncStatus withCacheError(@Nullable String cacheError) {
		return new SyncStatus(this.source, this.lastSuccessAt, this.consecutiveFailures, this.lastError, cacheError,
				this.nextPollAt);
	}

	SyncStatus withNextPollAt(@Nullable Instant nextPollAt) {
		return new SyncStatus(this.source, this.lastSuccessAt, this.consecutiveFailures, this.lastError,
				this.cacheError, nextPollAt);
	}

}
