package io.agentkit.sync;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A validated configuration together with the JSON text of each of its parts, as they are
 * stored in the cache (one row a part, each value the JSON text of that part).
 * Keeping the text as it came, in the bytes it came in, means the cache is written
 * without serialising the configuration again, or even decoding it.
 *
 * @param snapshot the validated configuration
 * @param versionJson the JSON text of the version (a JSON string)
 * @param skillsJson the JSON text of the skills array
 * @param workflowsJson the JSON text of the workflows array
 * @param syncedAtJson the JSON text of {@code synced_at} (a JSON string or {@code null})
 * @param cachedAt when the document was written to the cache, for a document read from
 * the cache; {@code null} otherwise
 */
public record ConfigDocument(ConfigSnapshot snapshot, JsonText versionJson, JsonText skillsJson,
		JsonText workflowsJson, JsonText syncedAtJson, @Nullable Instant cachedAt) {

	/**
	 * Return the JSON text of each part, as the cache stores it.
	 * @return the parts
	 */
	public ConfigParts parts() {
		return new ConfigParts(this.versionJson, this.skillsJson, this.workflowsJson, this.syncedAtJson);
	}

	@Override
	public String toString() {
		return "ConfigDocument[" + this.snapshot + ", cachedAt=" + this.cachedAt + "]";
	}

}
