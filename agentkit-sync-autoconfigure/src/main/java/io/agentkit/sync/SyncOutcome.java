package io.agentkit.sync;

/**
 * The outcome of one sync cycle.
 */
public enum SyncOutcome {

	/**
	 * A new configuration came into force.
	 */
	UPDATED,

	/**
	 * The server's configuration is the one already in force.
	 */
	UNCHANGED,

	/**
	 * The cycle failed; the configuration in force did not change.
	 */
	FAILED

}
