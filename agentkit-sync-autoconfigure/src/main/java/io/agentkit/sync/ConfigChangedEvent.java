package io.agentkit.sync;

import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Published (as an application event) whenever a configuration comes into force: at
 * startup, from the server or the cache, and on every change. The differences are worked
 * out when asked for, so an event nobody reads costs nothing.
 *
 * @param previous the configuration that was in force before, or {@code null} at startup
 * @param current the configuration now in force
 * @param source where the new configuration came from
 */
public record ConfigChangedEvent(@Nullable ConfigSnapshot previous, ConfigSnapshot current, ConfigSource source) {

	/**
	 * Return the version that was in force before.
	 * @return the previous version, or {@code null} at startup
	 */
	public @Nullable String previousVersion() {
		return (this.previous != null) ? this.previous.version() : null;
	}

	/**
	 * Return the version now in force.
	 * @return the version
	 */
	public String version() {
		return this.current.version();
	}

	/**
	 * Return the skills added, removed and changed.
	 * @return the skill changes, by name
	 */
	public ConfigChanges skillChanges() {
		return ConfigChanges.between(before(ConfigSnapshot::skillsByName), this.current.skillsByName());
	}

	/**
	 * Return the workflows added, removed and changed.
	 * @return the workflow changes, by id
	 */
	public ConfigChanges workflowChanges() {
		return ConfigChanges.between(before(ConfigSnapshot::workflowsById), this.current.workflowsById());
	}

	private Map<String, Map<String, @Nullable Object>> before(
			Function<ConfigSnapshot, Map<String, Map<String, @Nullable Object>>> items) {
		return (this.previous != null) ? items.apply(this.previous) : Map.of();
	}

	@Override
	public String toString() {
		return "ConfigChangedEvent[" + previousVersion() + " -> " + version() + ", source=" + this.source.value()
				+ "]";
	}

}
