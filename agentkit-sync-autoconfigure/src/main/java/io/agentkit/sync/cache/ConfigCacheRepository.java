package io.agentkit.sync.cache;

import java.util.Optional;
import java.util.function.BooleanSupplier;

import io.agentkit.sync.ConfigDocument;
import io.agentkit.sync.ConfigParts;

/**
 * Keeps the last good configuration on disk so an application can start without the
 * server. Implementations are thread-safe and write a document atomically: a reader sees
 * the whole of one document or the whole of another.
 */
public interface ConfigCacheRepository {

	/**
	 * Get ready for the first load or save: load what it would load first (a driver, a
	 * native library) without touching the cache itself. A server-first startup calls it
	 * once, on the starting thread, while the first pull is under way, so that this work
	 * does not add to the time before a configuration is in force, whether it then comes
	 * from the server (and is saved) or from the cache. A failure is left to the first load
	 * or save to report. The default does nothing.
	 */
	default void prepare() {
	}

	/**
	 * Load the cached configuration.
	 * @return the cached document, or empty when there is none (no file, no rows yet)
	 * @throws ConfigCacheException when there is a cache that cannot be used: unreadable,
	 * holding an invalid document, or not the cache's; the message says why and what was
	 * done about it (a file set aside, say), and the engine shows it as the cache error
	 */
	Optional<ConfigDocument> load();

	/**
	 * Replace the cached configuration with the given document, atomically.
	 * @param document the document to store
	 * @throws ConfigCacheException when the cache cannot be written
	 */
	void save(ConfigDocument document);

	/**
	 * Write the given parts in one transaction, then ask {@code confirmation} whether to
	 * commit it: the engine writes a pulled configuration while it is still validating it
	 * and says yes only for a valid one, so nothing invalid is ever committed. Until it is
	 * committed the cache holds what it held. The default does nothing and returns
	 * {@code false}; the engine then calls {@link #save(ConfigDocument)} once the
	 * document is valid.
	 * @param parts the JSON text of each part
	 * @param confirmation asked once, after the parts are written, whether to commit; may
	 * block until the document is validated
	 * @return {@code true} when the parts were committed, {@code false} when they were not
	 * (the cache then holds what it held)
	 * @throws ConfigCacheException when the cache cannot be written
	 */
	default boolean saveIfConfirmed(ConfigParts parts, BooleanSupplier confirmation) {
		return false;
	}

	/**
	 * Return whether what was last saved is gone (its file deleted, or overwritten by
	 * something that is no cache, say), so the configuration in force should be saved
	 * again. Asked at every unchanged poll, so it
	 * must be cheap; the default is {@code false}.
	 * @return whether the last saved document is gone
	 */
	default boolean isLost() {
		return false;
	}

}
