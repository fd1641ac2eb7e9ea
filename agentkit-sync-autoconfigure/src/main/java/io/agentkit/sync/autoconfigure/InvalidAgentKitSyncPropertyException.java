package io.agentkit.sync.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at startup when an {@code agentkit.sync.*} property has a value that cannot work.
 * Names the property, the value (never a token), the problem and the fix.
 */
public class InvalidAgentKitSyncPropertyException extends RuntimeException {

	private final String property;

	private final @Nullable Object value;

	private final String problem;

	private final String action;

	/**
	 * Create a new instance.
	 * @param property the property name below {@code agentkit.sync.}
	 * @param value the bad value, or {@code null} when missing
	 * @param problem why it cannot work
	 * @param action what to do
	 */
	public InvalidAgentKitSyncPropertyException(String property, @Nullable Object value, String problem,
			String action) {
		super("Invalid property " + AgentKitSyncProperties.PREFIX + property + " = " + value + ": " + problem);
		this.property = AgentKitSyncProperties.PREFIX + property;
		this.value = value;
		this.problem = problem;
		this.action = action;
	}

	/**
	 * Return the full property name.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Return the bad value.
	 * @return the value, or {@code null} when missing
	 */
	public @Nullable Object getValue() {
		return this.value;
	}

	/**
	 * Return why the value cannot work.
	 * @return the problem
	 */
	public String getProblem() {
		return this.problem;
	}

	/**
	 * Return what to do.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
