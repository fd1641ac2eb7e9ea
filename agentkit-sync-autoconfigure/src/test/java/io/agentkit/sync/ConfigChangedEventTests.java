package io.agentkit.sync;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConfigChangedEvent} and {@link ConfigChanges}.
 */
class ConfigChangedEventTests {

	@Test
	void firstConfigurationAddsEverything() {
		ConfigSnapshot current = ConfigSnapshot.of("v1", List.of(skill("a", 1), skill("b", 1)),
				List.of(Map.of("workflow_id", "w")), null);
		ConfigChangedEvent event = new ConfigChangedEvent(null, current, ConfigSource.CACHE);
		assertThat(event.previousVersion()).isNull();
		assertThat(event.version()).isEqualTo("v1");
		assertThat(event.skillChanges().added()).containsExactly("a", "b");
		assertThat(event.skillChanges().removed()).isEmpty();
		assertThat(event.skillChanges().changed()).isEmpty();
		assertThat(event.workflowChanges().added()).containsExactly("w");
		assertThat(event.toString()).contains("null -> v1", "cache");
	}

	@Test
	void changesAreFoundByKeyAndDeepContent() {
		ConfigSnapshot previous = ConfigSnapshot.of("v1",
				List.of(skill("same", 1), skill("changed", 1), skill("gone", 1),
						Map.of("name", "deep", "x", Map.of("y", List.of(1, 2)))),
				List.of(), null);
		ConfigSnapshot current = ConfigSnapshot.of("v2",
				List.of(skill("new", 1), skill("changed", 2), skill("same", 1),
						Map.of("name", "deep", "x", Map.of("y", List.of(1, 3)))),
				List.of(), null);
		ConfigChanges changes = new ConfigChangedEvent(previous, current, ConfigSource.SERVER).skillChanges();
		assertThat(changes.added()).containsExactly("new");
		assertThat(changes.removed()).containsExactly("gone");
		assertThat(changes.changed()).containsExactly("changed", "deep");
		assertThat(changes.isEmpty()).isFalse();
	}

	@Test
	void sameContentUnderANewVersionIsNoChange() {
		ConfigSnapshot previous = ConfigSnapshot.of("v1", List.of(skill("a", 1)), List.of(), null);
		ConfigSnapshot current = ConfigSnapshot.of("v2", List.of(skill("a", 1)), List.of(), null);
		ConfigChangedEvent event = new ConfigChangedEvent(previous, current, ConfigSource.SERVER);
		assertThat(event.skillChanges().isEmpty()).isTrue();
		assertThat(event.workflowChanges().isEmpty()).isTrue();
		assertThat(event.previousVersion()).isEqualTo("v1");
	}

	private static Map<String, Object> skill(String name, int n) {
		return Map.of("name", name, "n", n);
	}

}
