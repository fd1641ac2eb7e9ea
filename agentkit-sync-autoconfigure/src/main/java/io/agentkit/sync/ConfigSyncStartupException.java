package io.agentkit.sync;

/**
 * Thrown by {@link ConfigSync#start()} in fail-fast mode when neither the server nor the
 * cache gives a configuration.
 */
public class ConfigSyncStartupException extends RuntimeException {

	/**
	 * Create a new instance.
	 * @param message why no configuration is in force
	 */
	public ConfigSyncStartupException(String message) {
		super(message);
	}

}
