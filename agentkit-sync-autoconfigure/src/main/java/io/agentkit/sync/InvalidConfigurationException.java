package io.agentkit.sync;

/**
 * Thrown when a configuration document (a server answer or a cache entry) breaks the
 * AgentKit protocol. The message names the part that is wrong.
 */
public class InvalidConfigurationException extends RuntimeException {

	/**
	 * Create a new instance.
	 * @param message what is wrong with the document
	 */
	public InvalidConfigurationException(String message) {
		super(message);
	}

	/**
	 * Create a new instance.
	 * @param message what is wrong with the document
	 * @param cause the parser's exception
	 */
	public InvalidConfigurationException(String message, Throwable cause) {
		super(message, cause);
	}

}
