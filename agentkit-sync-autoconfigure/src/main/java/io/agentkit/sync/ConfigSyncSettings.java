package io.agentkit.sync;

import java.time.Duration;

/**
 * How {@link ConfigSync} runs.
 *
 * @param pollInterval the time between version checks
 * @param jitter the fraction by which each poll delay varies at random (0 to 1, exclusive)
 * @param startupMode whether startup waits for the server or starts from the cache
 * @param startupTimeout the longest startup waits for the first pull
 * @param shutdownTimeout the longest {@link ConfigSync#stop()} waits for a cycle to end
 * @param failFast whether startup fails when neither the server nor the cache gives a
 * configuration
 */
public record ConfigSyncSettings(Duration pollInterval, double jitter, StartupMode startupMode,
		Duration startupTimeout, Duration shutdownTimeout, boolean failFast) {

	/**
	 * Return the defaults: poll every 5 minutes with 10 % jitter, server first, wait at
	 * most 10 s at startup and 30 s at shutdown, do not fail fast.
	 * @return the default settings
	 */
	public static ConfigSyncSettings defaults() {
		return new ConfigSyncSettings(Duration.ofMinutes(5), 0.1, StartupMode.SERVER_FIRST, Duration.ofSeconds(10),
				Duration.ofSeconds(30), false);
	}

}
