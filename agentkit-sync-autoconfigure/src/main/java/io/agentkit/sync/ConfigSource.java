package io.agentkit.sync;

/**
 * Where the configuration in force came from.
 */
public enum ConfigSource {

	/**
	 * Pulled from the AgentKit server by this application.
	 */
	SERVER("server"),

	/**
	 * Loaded from the local SQLite cache because the server could not be reached.
	 */
	CACHE("cache"),

	/**
	 * No configuration is in force.
	 */
	NONE("none");

	private final String value;

	ConfigSource(String value) {
		this.value = value;
	}

	/**
	 * Return the lower-case name shown in health and endpoint output.
	 * @return the value
	 */
	public String value() {
		return this.value;
	}

}
