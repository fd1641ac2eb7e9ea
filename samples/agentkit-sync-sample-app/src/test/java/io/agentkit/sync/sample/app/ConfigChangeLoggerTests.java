package io.agentkit.sync.sample.app;

import java.util.List;
import java.util.Map;

import io.agentkit.sync.ConfigChangedEvent;
import io.agentkit.sync.ConfigSnapshot;
import io.agentkit.sync.ConfigSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConfigChangeLogger}.
 */
class ConfigChangeLoggerTests {

	@Test
	void describesAddedRemovedAndChangedItems() {
		ConfigSnapshot before = ConfigSnapshot.of("v1", List.of(skill("summarize", 0.2), skill("translate", 0.1)),
				List.of(workflow("digest")), null);
		ConfigSnapshot after = ConfigSnapshot.of("v2", List.of(skill("summarize", 0.3), skill("classify", 0.0)),
				List.of(workflow("digest")), null);
		assertThat(ConfigChangeLogger.describe(new ConfigChangedEvent(before, after, ConfigSource.SERVER)))
			.isEqualTo("Configuration v1 -> v2 from server: skills added [classify], removed [translate], "
					+ "changed [summarize]; workflows unchanged");
	}

	@Test
	void describesTheFirstConfigurationAsAllAdded() {
		ConfigSnapshot first = ConfigSnapshot.of("v1", List.of(skill("summarize", 0.2)), List.of(workflow("digest")),
				null);
		assertThat(ConfigChangeLogger.describe(new ConfigChangedEvent(null, first, ConfigSource.CACHE)))
			.isEqualTo("Configuration (none) -> v1 from cache: skills added [summarize], removed [], changed []; "
					+ "workflows added [digest], removed [], changed []");
	}

	private static Map<String, @Nullable Object> skill(String name, double temperature) {
		return Map.of("name", name, "temperature", temperature);
	}

	private static Map<String, @Nullable Object> workflow(String id) {
		return Map.of("workflow_id", id);
	}

}
