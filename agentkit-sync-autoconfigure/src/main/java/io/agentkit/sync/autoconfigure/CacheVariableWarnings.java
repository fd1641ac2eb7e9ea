package io.agentkit.sync.autoconfigure;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;

/**
 * Warns, at startup, when the {@code AGENTKIT_CONFIG_CACHE} environment variable is set but
 * not used. The variable is only the default of {@code agentkit.sync.cache-db-path}, as in
 * the Python client, so a {@code cache-db-path} in the application's own files takes
 * precedence over it, and an operator who set the variable to move the cache would find
 * the application reading and writing another file, with nothing said. The warning names
 * both values, where the property was set and the environment variable that does override
 * it ({@code AGENTKIT_SYNC_CACHE_DB_PATH}).
 */
final class CacheVariableWarnings {

	/**
	 * The environment variable that is the default of {@code cache-db-path}.
	 */
	static final String VARIABLE = "AGENTKIT_CONFIG_CACHE";

	private static final Log logger = LogFactory.getLog(CacheVariableWarnings.class);

	private static final String NAME = AgentKitSyncProperties.PREFIX + "cache-db-path";

	private CacheVariableWarnings() {
	}

	/**
	 * Log the warning, if any.
	 * @param properties the properties, validated
	 * @param environment the environment the properties were bound from
	 */
	static void log(AgentKitSyncProperties properties, Environment environment) {
		for (String warning : of(properties, environment, System.getenv(VARIABLE))) {
			logger.warn(warning);
		}
	}

	/**
	 * Return the warning when the variable is set and the cache file in force is another.
	 * @param properties the properties, validated
	 * @param environment the environment the properties were bound from
	 * @param variable the value of {@code AGENTKIT_CONFIG_CACHE}, or {@code null}
	 * @return the warning, or none
	 */
	static List<String> of(AgentKitSyncProperties properties, Environment environment, @Nullable String variable) {
		if (variable == null || variable.isBlank()) {
			return List.of();
		}
		ConfigurationProperty property = find(environment);
		if (property == null || CacheDbPath.toFile(variable).equals(properties.cacheFile())) {
			return List.of();
		}
		return List.of("The " + VARIABLE + " environment variable (" + variable.strip() + ") is not used: " + NAME
				+ "=" + String.valueOf(property.getValue()).strip()
				+ ((property.getOrigin() != null) ? " (from " + property.getOrigin() + ")" : "")
				+ " takes precedence, as the variable is only its default, so the cache is "
				+ properties.cacheFile().toAbsolutePath().normalize() + ". To choose the cache file from the environment, set "
				+ "AGENTKIT_SYNC_CACHE_DB_PATH, which overrides the application's files, or remove " + NAME
				+ " from them");
	}

	/**
	 * Return the property as binding finds it: from the source of highest precedence.
	 */
	private static @Nullable ConfigurationProperty find(Environment environment) {
		ConfigurationPropertyName name = ConfigurationPropertyName.of(NAME);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			ConfigurationProperty property = source.getConfigurationProperty(name);
			if (property != null) {
				return property;
			}
		}
		return null;
	}

}
