package io.agentkit.sync.hardening;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.agentkit.sync.ConfigSnapshot;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configurations whose every skill and workflow carries the version it belongs to (the
 * {@code stamp} field), and whose {@code synced_at} is derived from it: a mix of two
 * versions is visible at a glance.
 */
final class StampedConfig {

	private static final Instant EPOCH = Instant.parse("2027-01-01T00:00:00Z");

	private StampedConfig() {
	}

	static String version(long number) {
		return "v" + number;
	}

	static String syncedAt(String version) {
		return EPOCH.plusSeconds(Long.parseLong(version.substring(1))).toString();
	}

	static String skillName(int index) {
		return String.format("skill-%05d", index);
	}

	/**
	 * Return the body of {@code /api/v1/config/all} for the given version.
	 */
	static String body(String version, int skills) {
		StringBuilder body = new StringBuilder(skills * 140 + 256);
		body.append("{\"version\":\"").append(version).append("\",\"skills\":[");
		for (int i = 0; i < skills; i++) {
			if (i > 0) {
				body.append(',');
			}
			body.append("{\"name\":\"")
				.append(skillName(i))
				.append("\",\"stamp\":\"")
				.append(version)
				.append("\",\"model\":\"m-")
				.append(i % 7)
				.append("\",\"params\":{\"temperature\":0.")
				.append(i % 10)
				.append(",\"tags\":[\"a\",\"b\"]}}");
		}
		body.append("],\"workflows\":[{\"workflow_id\":\"wf-main\",\"stamp\":\"")
			.append(version)
			.append("\",\"steps\":[\"")
			.append(skillName(0))
			.append("\"]}],\"synced_at\":\"")
			.append(syncedAt(version))
			.append("\"}");
		return body.toString();
	}

	/**
	 * Assert that every part of the snapshot belongs to its version.
	 */
	static void assertConsistent(ConfigSnapshot snapshot, int skills) {
		String version = snapshot.version();
		assertThat(snapshot.skills()).hasSize(skills);
		for (Map<String, @Nullable Object> skill : snapshot.skills()) {
			assertThat(skill.get("stamp")).as("stamp of %s in %s", skill.get("name"), version).isEqualTo(version);
		}
		assertThat(snapshot.workflows()).singleElement()
			.satisfies((workflow) -> assertThat(workflow.get("stamp")).isEqualTo(version));
		assertThat(snapshot.syncedAt()).isEqualTo(syncedAt(version));
	}

	/**
	 * Return the first part of the snapshot that does not belong to its version, or
	 * {@code null} when all do (cheap enough to call in a tight reader loop).
	 */
	static @Nullable String firstMismatch(ConfigSnapshot snapshot) {
		String version = snapshot.version();
		List<Map<String, @Nullable Object>> skills = snapshot.skills();
		for (Map<String, @Nullable Object> skill : skills) {
			if (!version.equals(skill.get("stamp"))) {
				return "skill " + skill.get("name") + " has stamp " + skill.get("stamp") + " in " + version;
			}
		}
		Map<String, @Nullable Object> indexed = snapshot.skill(skillName(0)).orElse(null);
		if (indexed == null || !version.equals(indexed.get("stamp"))) {
			return "indexed skill " + skillName(0) + " does not belong to " + version;
		}
		for (Map<String, @Nullable Object> workflow : snapshot.workflows()) {
			if (!version.equals(workflow.get("stamp"))) {
				return "workflow has stamp " + workflow.get("stamp") + " in " + version;
			}
		}
		if (!syncedAt(version).equals(snapshot.syncedAt())) {
			return "synced_at " + snapshot.syncedAt() + " does not belong to " + version;
		}
		return null;
	}

}
