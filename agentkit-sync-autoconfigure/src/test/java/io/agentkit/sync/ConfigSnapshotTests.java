package io.agentkit.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConfigSnapshot}.
 */
class ConfigSnapshotTests {

	@Test
	void ofIndexesSkillsByNameAndWorkflowsByIdInServerOrder() {
		ConfigSnapshot snapshot = ConfigSnapshot.of("v1", List.of(skill("b"), skill("a")),
				List.of(Map.of("workflow_id", "w")), "2026-01-01T00:00:00Z");
		assertThat(snapshot.skillNames()).containsExactly("b", "a");
		assertThat(snapshot.workflowIds()).containsExactly("w");
		assertThat(snapshot.skill("a")).contains(skill("a"));
		assertThat(snapshot.workflow("x")).isEmpty();
	}

	@Test
	void ofCopiesTheListsItIsGivenSoTheSnapshotCannotChangeAfterwards() {
		List<Map<String, Object>> skills = new ArrayList<>(List.of(skill("a")));
		List<Map<String, Object>> workflows = new ArrayList<>();
		ConfigSnapshot snapshot = ConfigSnapshot.of("v1", skills, workflows, null);
		skills.add(skill("b"));
		workflows.add(Map.of("workflow_id", "w"));
		assertThat(snapshot.skills()).containsExactly(skill("a"));
		assertThat(snapshot.workflows()).isEmpty();
		assertThat(snapshot.skillNames()).containsExactly("a");
	}

	@Test
	void snapshotsAreEqualWhenVersionSyncedAtSkillsAndWorkflowsAre() {
		ConfigSnapshot snapshot = ConfigSnapshot.of("v1", List.of(skill("a")), List.of(), "t");
		ConfigSnapshot same = ConfigSnapshot.of("v1", new ArrayList<>(List.of(skill("a"))), List.of(), "t");
		assertThat(snapshot).isEqualTo(same).hasSameHashCodeAs(same);
		assertThat(snapshot).isNotEqualTo(ConfigSnapshot.of("v2", List.of(skill("a")), List.of(), "t"));
		assertThat(snapshot).isNotEqualTo(ConfigSnapshot.of("v1", List.of(skill("b")), List.of(), "t"));
		assertThat(snapshot).isNotEqualTo(ConfigSnapshot.of("v1", List.of(skill("a")), List.of(skill("w")), "t"));
		assertThat(snapshot).isNotEqualTo(ConfigSnapshot.of("v1", List.of(skill("a")), List.of(), null));
	}

	@Test
	void indexKeepsTheFirstItemOfARepeatedKeyAndTellsOfTheRepeat() {
		List<Map<String, Object>> items = List.of(Map.of("name", "a", "n", 1), skill("b"), Map.of("name", "a", "n", 2));
		List<String> repeats = new ArrayList<>();
		Map<String, Map<String, Object>> index = ConfigSnapshot.index(items, "name",
				(key, position) -> repeats.add(key + "@" + position));
		assertThat(index.keySet()).containsExactly("a", "b");
		assertThat(index.get("a")).containsEntry("n", 1);
		assertThat(repeats).containsExactly("a@2");
	}

	@Test
	void toStringShowsCountsNotContent() {
		ConfigSnapshot snapshot = ConfigSnapshot.of("v1", List.of(Map.of("name", "a", "api_key", "s3cr3t")), List.of(),
				null);
		assertThat(snapshot.toString()).contains("v1", "skills=1").doesNotContain("s3cr3t");
	}

	private static Map<String, Object> skill(String name) {
		return Map.of("name", name);
	}

}
