package io.agentkit.sync.hardening;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.agentkit.sync.ConfigDocument;
import io.agentkit.sync.SyncResult;
import io.agentkit.sync.cache.ConfigCacheRepository;
import io.agentkit.sync.test.TestEngine;

/**
 * Runs in a child JVM for {@link CrashConsistencyTests}: syncs the stamped configuration
 * from the server into the SQLite file, pulling everything again in a loop, until the
 * parent kills it. Reports {@code SAVE <version>} before each cache write and
 * {@code SAVED <version>} after each commit.
 * <p>
 * Arguments: the server URL and the cache file.
 */
public final class CrashLoopChild {

	private CrashLoopChild() {
	}

	public static void main(String[] args) {
		ChildSupport.quietLogging();
		TestEngine engine = TestEngine.builder(args[0], Path.of(args[1]))
			.timeout(Duration.ofSeconds(20))
			.startupTimeout(Duration.ofSeconds(20))
			.cacheDecorator(Announcing::new)
			.start();
		ChildSupport.report("STARTED " + engine.sync.getVersion());
		while (true) {
			SyncResult result = engine.sync.syncNow(true);
			if (result.error() != null) {
				ChildSupport.report("FAILED " + result.error());
			}
		}
	}

	private record Announcing(ConfigCacheRepository delegate) implements ConfigCacheRepository {

		@Override
		public Optional<ConfigDocument> load() {
			return this.delegate.load();
		}

		@Override
		public void save(ConfigDocument document) {
			ChildSupport.report("SAVE " + document.snapshot().version());
			this.delegate.save(document);
			ChildSupport.report("SAVED " + document.snapshot().version());
		}

	}

}
