package io.agentkit.sync;

/**
 * How {@link ConfigSync} chooses between the server and the cache at startup.
 */
public enum StartupMode {

	/**
	 * Wait (at most the startup timeout) for the first pull, then fall back to the cache.
	 */
	SERVER_FIRST,

	/**
	 * Put a cached configuration in force at once and refresh it from the server in the
	 * background; with no usable cache, behave like {@link #SERVER_FIRST}.
	 */
	CACHE_FIRST

}
