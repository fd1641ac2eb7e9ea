package io.agentkit.sync;

import org.springframework.scheduling.annotation.Scheduled;

/**
 * Drives {@link ConfigSync} from Spring's scheduler: a short tick asks the engine whether
 * a version check is due, so the engine's own schedule (poll interval, back-off, jitter,
 * {@code Retry-After}) decides when requests go out. A tick never blocks the scheduler
 * thread: the check runs on the engine's own thread.
 */
public class ConfigSyncPoller {

	/**
	 * Milliseconds between two ticks: the precision of the engine's schedule.
	 */
	public static final long TICK_MILLIS = 250;

	private final ConfigSync configSync;

	/**
	 * Create a poller for the given engine.
	 * @param configSync the engine
	 */
	public ConfigSyncPoller(ConfigSync configSync) {
		this.configSync = configSync;
	}

	/**
	 * Start a version check when one is due.
	 */
	@Scheduled(fixedDelay = TICK_MILLIS, initialDelay = TICK_MILLIS)
	public void poll() {
		this.configSync.pollIfDue();
	}

}
