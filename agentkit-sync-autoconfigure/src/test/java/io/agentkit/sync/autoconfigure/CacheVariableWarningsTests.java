package io.agentkit.sync.autoconfigure;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import static io.agentkit.sync.autoconfigure.UnknownPropertyWarningsTests.environment;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CacheVariableWarnings}.
 */
class CacheVariableWarningsTests {

	@TempDir
	Path temp;

	@Test
	void variableOverriddenByTheApplicationsPropertyIsWarnedOfNamingBothAndWhatToSet() {
		String variable = this.temp.resolve("ops/cache.db").toString();
		String property = this.temp.resolve("app/cache.db").toString();
		assertThat(warnings(Map.of("agentkit.sync.cache-db-path", property), variable))
			.containsExactly("The AGENTKIT_CONFIG_CACHE environment variable (" + variable + ") is not used: "
					+ "agentkit.sync.cache-db-path=" + property + " (from \"agentkit.sync.cache-db-path\" from property "
					+ "source \"test\") takes precedence, as the variable is only its default, so the cache is "
					+ property + ". To choose the cache file from the environment, set AGENTKIT_SYNC_CACHE_DB_PATH, "
					+ "which overrides the application's files, or remove agentkit.sync.cache-db-path from them");
	}

	@Test
	void relativePropertyIsShownAsTheFileItNames() {
		List<String> warnings = warnings(Map.of("agentkit.sync.cache-db-path", "./data/cache.db"),
				this.temp.resolve("cache.db").toString());
		assertThat(warnings).singleElement()
			.asString()
			.contains("agentkit.sync.cache-db-path=./data/cache.db (from ")
			.contains("so the cache is " + Path.of("data/cache.db").toAbsolutePath() + ". ");
	}

	@Test
	void variableInForceIsNotWarnedOf() {
		String variable = this.temp.resolve("cache.db").toString();
		assertThat(warnings(Map.of(), variable)).isEmpty();
		assertThat(warnings(Map.of("agentkit.sync.cache-db-path", variable), variable)).isEmpty();
		assertThat(warnings(Map.of("agentkit.sync.cache-db-path", "file:" + variable), variable)).isEmpty();
	}

	@Test
	void noVariableIsNotWarnedOf() {
		Map<String, Object> properties = Map.of("agentkit.sync.cache-db-path",
				this.temp.resolve("cache.db").toString());
		assertThat(warnings(properties, null)).isEmpty();
		assertThat(warnings(properties, " ")).isEmpty();
	}

	private static List<String> warnings(Map<String, Object> properties, String variable) {
		Environment environment = environment(properties);
		AgentKitSyncProperties bound = Binder.get(environment)
			.bindOrCreate("agentkit.sync", AgentKitSyncProperties.class);
		return CacheVariableWarnings.of(bound, environment, variable);
	}

}
