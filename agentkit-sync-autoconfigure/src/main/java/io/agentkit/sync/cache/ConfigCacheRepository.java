package io.agentkit.sync.cache;

import java.util.Optional;

import io.agentkit.sync.ConfigDocument;

/**
 * Keeps the last good configuration on disk so an application can start without the
 * server. Implementations are thread-safe and write a document atomically: a reader sees
 * the whole of one document or the whole of another.
 */
public interface ConfigCacheRepository {

	/**
	 * Load the cached configuration. A cache that cannot be read or holds an invalid
	 * document is reported as empty (and may be set aside); it never makes this method
	 * throw.
	 * @return the cached document, or empty when there is none that can be used
	 */
	Optional<ConfigDocument> load();

	/**
	 * Replace the cached configuration with the given document, atomically.
	 * @param document the document to store
	 * @throws ConfigCacheException when the cache cannot be written
	 */
	void save(ConfigDocument document);

	/**
	 * Return whether what was last saved is gone (its file deleted, say), so the
	 * configuration in force should be saved again. Asked at every unchanged poll, so it
	 * must be cheap; the default is {@code false}.
	 * @return whether the last saved document is gone
	 */
	default boolean isLost() {
		return false;
	}

}
