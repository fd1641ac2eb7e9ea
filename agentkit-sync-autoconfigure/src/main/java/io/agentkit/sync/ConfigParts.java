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

}
