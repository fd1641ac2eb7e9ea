package io.agentkit.sync;

/**
 * Thrown when a skill or workflow cannot be bound to the requested type. The message
 * names the item, the type and the field that does not fit.
 */
public class ConfigBindingException extends RuntimeException {

	/**
	 * Create a new instance.
	 * @param message what could not be bound
	 * @param cause the mapper's exception
	 */
	public ConfigBindingException(String message, Throwable cause) {
		super(message, cause);
	}

}
