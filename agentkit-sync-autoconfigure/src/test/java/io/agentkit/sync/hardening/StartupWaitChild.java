package io.agentkit.sync.hardening;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.agentkit.sync.test.TestEngine;

/**
 * A child JVM that starts an engine whose first pull hangs, with a startup timeout far
 * longer than the test, and is told to stop (by {@code SIGTERM}) while it waits. Its own
 * shutdown hook stands for Spring Boot's, which waits for the application context's
 * refresh, the start included, to end before it closes the context. Arguments: server
 * URL, cache file. Reports {@code STARTED} once the start returns, {@code CLOSED} once
 * the engine is closed.
 */
public final class StartupWaitChild {

	private static final Duration LONGER_THAN_THE_TEST = Duration.ofMinutes(10);

	private StartupWaitChild() {
	}

	public static void main(String[] args) throws Exception {
		TestEngine engine = TestEngine.builder(args[0], Path.of(args[1]))
			.timeout(LONGER_THAN_THE_TEST)
			.startupTimeout(LONGER_THAN_THE_TEST)
			.build();
		CountDownLatch started = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				if (started.await(LONGER_THAN_THE_TEST.toMillis(), TimeUnit.MILLISECONDS)) {
					engine.close();
					ChildSupport.report("CLOSED");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}));
		engine.sync.start();
		ChildSupport.report("STARTED " + engine.sync.getStatus().source().value());
		started.countDown();
		Thread.sleep(LONGER_THAN_THE_TEST.toMillis());
	}

}
