package io.agentkit.sync;

import org.springframework.scheduling.annotation.Scheduled;

/**
 * Drives {@link ConfigSync} from Spring's scheduler: a short tick asks the engine whether
 * a version check is due, so the engine's own schedule (poll interval, back-off, jitter,
 * {@code Retry-After}) decides when requests go out. A tick never blocks the scheduler
 * thread: the check runs on the engine's own thread.
 */
public class ConfigSyncPoller {

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
	@Scheduled(fixedDelayString = "${agentkit.sync.scheduler-tick:250ms}", initialDelayString = "${agentkit.sync.scheduler-tick:250ms}")
	public void poll() {
		this.configSync.pollIfDue();
	}

}
