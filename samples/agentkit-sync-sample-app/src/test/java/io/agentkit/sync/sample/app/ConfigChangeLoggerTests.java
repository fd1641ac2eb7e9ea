package io.agentkit.sync.sample.app;

import java.util.ArrayList;
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

	@Test
	void listsTenNamesOfALongListAndHowManyMoreThereAre() {
		List<Map<String, @Nullable Object>> skills = new ArrayList<>();
		for (int i = 0; i < 5000; i++) {
			skills.add(skill("skill-" + i, 0.1));
		}
		ConfigSnapshot first = ConfigSnapshot.of("v1", skills, List.of(), null);
		assertThat(ConfigChangeLogger.describe(new ConfigChangedEvent(null, first, ConfigSource.SERVER)))
			.isEqualTo("Configuration (none) -> v1 from server: skills added [skill-0, skill-1, skill-2, skill-3, "
					+ "skill-4, skill-5, skill-6, skill-7, skill-8, skill-9, and 4990 more], removed [], changed []; "
					+ "workflows unchanged");
	}

	@Test
	void namesAndVersionsThatWouldForgeLogLinesStayOnOneLine() {
		ConfigSnapshot first = ConfigSnapshot.of("v1\nERROR forged", List.of(skill("a\r\nERROR forged", 0.1)),
				List.of(), null);
		assertThat(ConfigChangeLogger.describe(new ConfigChangedEvent(null, first, ConfigSource.SERVER)))
			.doesNotContain("\n")
			.doesNotContain("\r")
			.contains("v1\\nERROR forged")
			.contains("[a\\r\\nERROR forged]");
	}

	private static Map<String, @Nullable Object> skill(String name, double temperature) {
		return Map.of("name", name, "temperature", temperature);
	}

	private static Map<String, @Nullable Object> workflow(String id) {
		return Map.of("workflow_id", id);
	}

}
