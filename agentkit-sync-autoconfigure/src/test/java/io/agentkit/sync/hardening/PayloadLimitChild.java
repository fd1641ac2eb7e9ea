package io.agentkit.sync.hardening;

import java.nio.file.Path;
import java.time.Duration;

import io.agentkit.sync.SyncResult;
import io.agentkit.sync.client.ConfigServerException;
import io.agentkit.sync.test.TestEngine;

import org.springframework.util.unit.DataSize;

/**
 * Runs in a child JVM with a small heap for {@link BoundedMemoryTests}: starts on a
 * small configuration, then syncs against a server whose {@code /all} body never ends,
 * asks the client directly once more, reports what happened and exits 0.
 * <p>
 * Arguments: the server URL, the cache file and the maximum payload size in bytes.
 */
public final class PayloadLimitChild {

	private PayloadLimitChild() {
	}

	public static void main(String[] args) {
		ChildSupport.quietLogging();
		ChildSupport.report("HEAP " + Runtime.getRuntime().maxMemory());
		try (TestEngine engine = TestEngine.builder(args[0], Path.of(args[1]))
			.timeout(Duration.ofSeconds(60))
			.maxPayloadSize(DataSize.ofBytes(Long.parseLong(args[2])))
			.start()) {
			ChildSupport.report("STARTED " + engine.sync.getVersion());
			SyncResult result = engine.sync.syncNow();
			ChildSupport.report("RESULT " + result.outcome() + " " + result.version());
			ChildSupport.report("ERROR " + engine.sync.getStatus().lastError());
			try {
				engine.client.fetchAll();
				ChildSupport.report("REASON none");
			}
			catch (ConfigServerException ex) {
				ChildSupport.report("REASON " + ex.getReason());
			}
			ChildSupport.report("INFORCE " + engine.sync.getVersion());
			ChildSupport.report("CACHED "
					+ engine.cache.load().map((document) -> document.snapshot().version()).orElse("none"));
		}
		ChildSupport.report("DONE");
		System.exit(0);
	}

}
