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
 * @param parts the JSON text of each part
 * @param cachedAt when the document was written to the cache, for a document read from
 * the cache; {@code null} otherwise
 */
public record ConfigDocument(ConfigSnapshot snapshot, ConfigParts parts, @Nullable Instant cachedAt) {

	@Override
	public String toString() {
		return "ConfigDocument[" + this.snapshot + ", cachedAt=" + this.cachedAt + "]";
	}

}
