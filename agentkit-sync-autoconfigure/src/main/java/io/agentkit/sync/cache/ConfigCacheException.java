package io.agentkit.sync.cache;

/**
 * Thrown when the configuration cache cannot be read or written. The message names the
 * file and the cause.
 */
public class ConfigCacheException extends RuntimeException {

	/**
	 * Create a new instance for a failure that the message describes whole.
	 * @param message what failed, naming the file
	 */
	public ConfigCacheException(String message) {
		super(message);
	}

	/**
	 * Create a new instance.
	 * @param message what failed, naming the file
	 * @param cause the cause
	 */
	public ConfigCacheException(String message, Throwable cause) {
		super(message, cause);
	}

}
