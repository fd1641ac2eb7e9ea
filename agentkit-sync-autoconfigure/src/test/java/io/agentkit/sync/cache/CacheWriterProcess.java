package io.agentkit.sync.cache;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

import io.agentkit.sync.ConfigDocumentReader;

/**
 * Saves versions {@code v1}, {@code v2}, ... to a cache file as fast as it can, until it
 * is killed. Run in a separate JVM by {@link SqliteConfigCacheRepositoryTests} to check
 * that a crash at any moment leaves a consistent cache.
 */
final class CacheWriterProcess {

	private CacheWriterProcess() {
	}

	static String body(String version) {
		return "{\"version\": \"" + version + "\", \"skills\": [{\"name\": \"skill-" + version
				+ "\", \"n\": 1}], \"workflows\": [{\"workflow_id\": \"workflow-" + version
				+ "\"}], \"synced_at\": \"synced-" + version + "\"}";
	}

	public static void main(String[] args) {
		ConfigDocumentReader reader = new ConfigDocumentReader();
		SqliteConfigCacheRepository repository = new SqliteConfigCacheRepository(Path.of(args[0]), reader,
				Clock.systemUTC(), 10_000);
		for (int i = 1;; i++) {
			repository.save(reader.readAll(body("v" + i).getBytes(StandardCharsets.UTF_8)));
		}
	}

}
