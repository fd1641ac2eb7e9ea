package io.agentkit.sync.hardening;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads a cache file with plain JDBC, independently of the repository under test.
 */
final class CacheFile {

	private static final JsonMapper json = JsonMapper.builder().build();

	private CacheFile() {
	}

	/**
	 * Run {@code PRAGMA integrity_check}.
	 */
	static String integrityCheck(Path file) throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("PRAGMA integrity_check")) {
			StringBuilder answer = new StringBuilder();
			while (result.next()) {
				answer.append(result.getString(1));
			}
			return answer.toString();
		}
	}

	/**
	 * Return the rows: key to {value, updated_at}.
	 */
	static Map<String, String[]> rows(Path file) throws SQLException {
		Map<String, String[]> rows = new TreeMap<>();
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT key, value, updated_at FROM config_cache")) {
			while (result.next()) {
				rows.put(result.getString(1), new String[] { result.getString(2), result.getString(3) });
			}
		}
		return rows;
	}

	/**
	 * Return the cached version.
	 */
	static String version(Path file) throws SQLException {
		return json.readValue(rows(file).get("version")[0], String.class);
	}

	/**
	 * Assert that the file is intact and its four rows hold one stamped configuration,
	 * written together.
	 * @return the cached version
	 */
	static String assertOneConsistentSnapshot(Path file, int skills) throws SQLException {
		assertThat(integrityCheck(file)).as("PRAGMA integrity_check of %s", file).isEqualTo("ok");
		Map<String, String[]> rows = rows(file);
		assertThat(rows).containsOnlyKeys("version", "skills", "workflows", "synced_at");
		String version = json.readValue(rows.get("version")[0], String.class);
		List<Map<String, Object>> skillRows = json.readValue(rows.get("skills")[0], new TypeReference<>() {
		});
		assertThat(skillRows).hasSize(skills);
		assertThat(skillRows).allSatisfy(
				(skill) -> assertThat(skill.get("stamp")).as("stamp of %s", skill.get("name")).isEqualTo(version));
		List<Map<String, Object>> workflowRows = json.readValue(rows.get("workflows")[0], new TypeReference<>() {
		});
		assertThat(workflowRows).singleElement().satisfies((workflow) -> assertThat(workflow.get("stamp")).isEqualTo(version));
		assertThat(json.readValue(rows.get("synced_at")[0], String.class)).isEqualTo(StampedConfig.syncedAt(version));
		assertThat(rows.values().stream().map((row) -> row[1]).distinct()).as("updated_at of the four rows")
			.hasSize(1);
		return version;
	}

}
