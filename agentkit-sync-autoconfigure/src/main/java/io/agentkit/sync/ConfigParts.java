package io.agentkit.sync;

/**
 * The JSON text of each part of a configuration, as the cache stores it: one row a part,
 * each value the JSON text of that part in the UTF-8 bytes it came in.
 *
 * @param versionJson the JSON text of the version (a JSON string)
 * @param skillsJson the JSON text of the skills array
 * @param workflowsJson the JSON text of the workflows array
 * @param syncedAtJson the JSON text of {@code synced_at}
 */
public record ConfigParts(JsonText versionJson, JsonText skillsJson, JsonText workflowsJson, JsonText syncedAtJson) {

	/**
	 * The name of the version: its member in the body, and the key of its cache row.
	 */
	public static final String VERSION = "version";

	/**
	 * The name of the skills: their member in the body, and the key of their cache row.
	 */
	public static final String SKILLS = "skills";

	/**
	 * The name of the workflows: their member in the body, and the key of their cache row.
	 */
	public static final String WORKFLOWS = "workflows";

	/**
	 * The name of {@code synced_at}: its member in the body, and the key of its cache row.
	 */
	public static final String SYNCED_AT = "synced_at";

}
