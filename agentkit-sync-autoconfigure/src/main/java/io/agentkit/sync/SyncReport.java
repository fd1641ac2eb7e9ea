package io.agentkit.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What operators see of the sync, in health and endpoint output: the version in force,
 * where it came from and how fresh it is. Holds no token, header or configuration
 * content.
 *
 * @param version the version in force, or {@code null}
 * @param source where it came from
 * @param lastSuccessAt when the server last confirmed it (this client's clock), or
 * {@code null}
 * @param serverSyncedAt the server's {@code synced_at}, or {@code null}
 * @param ageSeconds seconds since {@code lastSuccessAt}, or {@code null} when none is in
 * force or its age is unknown ({@code lastSuccessAt} is later than now: see
 * {@link SyncStatus#age(Instant)})
 * @param stale whether the configuration is older than the maximum staleness, or of
 * unknown age
 * @param skills the number of skills
 * @param workflows the number of workflows
 * @param consecutiveFailures failed cycles since the last success
 * @param lastError the last failure, or {@code null}
 * @param cacheError why the cache cannot be read or written, or {@code null}
 */
public record SyncReport(@Nullable String version, ConfigSource source, @Nullable Instant lastSuccessAt,
		@Nullable String serverSyncedAt, @Nullable Long ageSeconds, boolean stale, int skills, int workflows,
		int consecutiveFailures, @Nullable String lastError, @Nullable String cacheError) {

	/**
	 * Describe the given engine now.
	 * @param configSync the engine
	 * @param maxStaleness the age beyond which a configuration is stale
	 * @param clock the clock
	 * @return the report
	 */
	public static SyncReport of(ConfigSync configSync, Duration maxStaleness, Clock clock) {
		ConfigSync.State state = configSync.state();
		// A ConfigSync that holds no state is no engine of the starter's (a test's
		// @MockitoBean, say): it is described by what its public methods answer.
		ConfigSnapshot snapshot = (state != null) ? state.snapshot() : snapshotOf(configSync);
		SyncStatus status = (state != null) ? state.status() : statusOf(configSync);
		Duration age = status.age(clock.instant());
		if (snapshot == null) {
			return new SyncReport(null, ConfigSource.NONE, null, null, null, false, 0, 0,
					status.consecutiveFailures(), status.lastError(), status.cacheError());
		}
		// A configuration of unknown age (a cache that does not say when it was written, or says a time
		// later than now) is not known to be fresh.
		boolean stale = (age == null) || age.compareTo(maxStaleness) > 0;
		return new SyncReport(snapshot.version(), status.source(), status.lastSuccessAt(), snapshot.syncedAt(),
				(age != null) ? age.toSeconds() : null, stale,
				snapshot.skills().size(), snapshot.workflows().size(), status.consecutiveFailures(),
				status.lastError(), status.cacheError());
	}


	private static @Nullable ConfigSnapshot snapshotOf(ConfigSync configSync) {
		Optional<ConfigSnapshot> snapshot = configSync.getSnapshot();
		return (snapshot != null) ? snapshot.orElse(null) : null;
	}

	/**
	 * Return the status of the given engine, or {@link SyncStatus#INITIAL} when it
	 * answers none (a mock that was not told what to answer).
	 * @param configSync the engine
	 * @return the status
	 */
	public static SyncStatus statusOf(ConfigSync configSync) {
		SyncStatus status = configSync.getStatus();
		return (status != null) ? status : SyncStatus.INITIAL;
	}

	/**
	 * Whether a configuration is in force.
	 * @return {@code true} when there is a version
	 */
	public boolean inForce() {
		return this.version != null;
	}

	/**
	 * Return the report as the ordered map of health details, under their fixed keys.
	 * @return the details, with {@code null} values kept
	 */
	public Map<String, @Nullable Object> toDetails() {
		Map<String, @Nullable Object> details = new LinkedHashMap<>();
		details.put("version", this.version);
		details.put("source", this.source.value());
		details.put("lastSuccessAt", (this.lastSuccessAt != null) ? this.lastSuccessAt.toString() : null);
		details.put("serverSyncedAt", this.serverSyncedAt);
		details.put("ageSeconds", this.ageSeconds);
		details.put("stale", this.stale);
		details.put("skills", this.skills);
		details.put("workflows", this.workflows);
		details.put("consecutiveFailures", this.consecutiveFailures);
		details.put("lastError", this.lastError);
		if (this.cacheError != null) {
			details.put("cacheError", this.cacheError);
		}
		return details;
	}

}
