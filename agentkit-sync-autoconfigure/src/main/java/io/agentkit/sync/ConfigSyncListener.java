package io.agentkit.sync;

import java.time.Duration;

/**
 * Told about each sync cycle and each full pull, for example to record metrics. Called on
 * the sync thread; implementations must be quick and must not throw.
 */
public interface ConfigSyncListener {

	/**
	 * Called when a sync cycle ends.
	 * @param result the cycle's result
	 */
	default void cycleCompleted(SyncResult result) {
	}

	/**
	 * Called when a full pull (fetch, validate, persist, publish) ends.
	 * @param duration how long it took
	 * @param success whether a configuration was put in force
	 */
	default void pullCompleted(Duration duration, boolean success) {
	}

}
