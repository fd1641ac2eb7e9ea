package io.agentkit.sync.hardening;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.SyncOutcome;
import io.agentkit.sync.SyncResult;
import io.agentkit.sync.autoconfigure.AgentKitSyncAutoConfiguration;
import io.agentkit.sync.autoconfigure.AgentKitSyncHealthContributorAutoConfiguration;
import io.agentkit.sync.test.TestEngine;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shutdown during a pull: while the server holds back the body of {@code /all},
 * {@link ConfigSync#stop()} (or closing the application context) returns promptly, well
 * within the timeout; the cache file stays intact with the previous version, and nothing
 * is logged at ERROR or with a stack trace. Closing the context ends the pull before the
 * web server's graceful shutdown waits for the requests in progress, and a process told
 * to stop while its start waits for a hanging server stops waiting.
 */
class ShutdownDuringPullTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final Duration PROMPTLY = Duration.ofSeconds(3);

	@TempDir
	Path temp;

	private final MockWebServer server = new MockWebServer();

	private final AtomicInteger allRequests = new AtomicInteger();

	@BeforeEach
	void startServer() throws Exception {
		this.server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				if (request.getTarget().endsWith("/version")) {
					return json("{\"version\":\"v2\"}").build();
				}
				if (ShutdownDuringPullTests.this.allRequests.incrementAndGet() == 1) {
					return json(StampedConfig.body("v1", 50)).build();
				}
				// Headers at once, then a body that takes longer than the test.
				return json(StampedConfig.body("v2", 50)).bodyDelay(60, TimeUnit.SECONDS).build();
			}

		});
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	private static MockResponse.Builder json(String body) {
		return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body);
	}

	@Test
	void stopDuringAPullReturnsPromptlyAndLeavesTheCacheIntact() throws Exception {
		Path cacheFile = this.temp.resolve("cache.db");
		try (LogCapture logs = LogCapture.capture();
				TestEngine engine = TestEngine.builder(this.server.url("/").toString(), cacheFile)
					.timeout(TIMEOUT)
					.start()) {
			assertThat(engine.sync.getVersion()).isEqualTo("v1");
			CompletableFuture<SyncResult> pull = CompletableFuture.supplyAsync(engine.sync::syncNow);
			awaitPullInFlight(pull);
			long start = System.nanoTime();
			engine.sync.stop();
			Duration stopped = Duration.ofNanos(System.nanoTime() - start);
			assertThat(stopped).as("stop() during a pull").isLessThan(PROMPTLY);
			SyncResult result = pull.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(result.outcome()).isEqualTo(SyncOutcome.FAILED);
			assertThat(engine.sync.getVersion()).isEqualTo("v1");
			assertThat(logs.errorsAndStackTraces()).as("errors and stack traces logged").isEmpty();
		}
		assertThat(CacheFile.assertOneConsistentSnapshot(cacheFile, 50)).isEqualTo("v1");
	}

	@Test
	void closingTheContextDuringAPullReturnsPromptlyAndLeavesTheCacheIntact() throws Exception {
		Path cacheFile = this.temp.resolve("cache.db");
		try (LogCapture logs = LogCapture.capture()) {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(AgentKitSyncAutoConfiguration.class,
						AgentKitSyncHealthContributorAutoConfiguration.class))
				.withPropertyValues("agentkit.sync.server-url=" + this.server.url("/"),
						"agentkit.sync.cache-db-path=" + cacheFile, "agentkit.sync.timeout=" + TIMEOUT.toMillis() + "ms")
				.run((context) -> {
					ConfigSync sync = context.getBean(ConfigSync.class);
					assertThat(sync.getVersion()).isEqualTo("v1");
					CompletableFuture<SyncResult> pull = CompletableFuture.supplyAsync(sync::syncNow);
					awaitPullInFlight(pull);
					long start = System.nanoTime();
					context.close();
					Duration closed = Duration.ofNanos(System.nanoTime() - start);
					assertThat(closed).as("closing the context during a pull").isLessThan(PROMPTLY);
					assertThat(pull.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS).outcome())
						.isEqualTo(SyncOutcome.FAILED);
				});
			assertThat(logs.errorsAndStackTraces()).as("errors and stack traces logged").isEmpty();
		}
		assertThat(CacheFile.assertOneConsistentSnapshot(cacheFile, 50)).isEqualTo("v1");
	}

	@Test
	void closingTheContextEndsAPullBeforeTheWebServerWaitsForTheRequestsInProgress() throws Exception {
		Path cacheFile = this.temp.resolve("cache.db");
		AtomicReference<SyncResult> seenByTheWebServer = new AtomicReference<>();
		AtomicReference<CompletableFuture<SyncResult>> forcedPull = new AtomicReference<>();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AgentKitSyncAutoConfiguration.class))
			.withPropertyValues("agentkit.sync.server-url=" + this.server.url("/"),
					"agentkit.sync.cache-db-path=" + cacheFile, "agentkit.sync.timeout=" + TIMEOUT.toMillis() + "ms")
			.withBean(GracefulShutdown.class, () -> new GracefulShutdown(() -> {
				// What a request to the endpoint waiting for the pull answers while the server drains, as
				// promptly as a request that ends by itself (a pull still in flight would go on for TIMEOUT).
				try {
					seenByTheWebServer.set(forcedPull.get().get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS));
				}
				catch (Exception ex) {
					// Still in flight: nothing is seen.
				}
			}))
			.run((context) -> {
				ConfigSync sync = context.getBean(ConfigSync.class);
				assertThat(sync.getVersion()).isEqualTo("v1");
				forcedPull.set(CompletableFuture.supplyAsync(() -> sync.syncNow(true)));
				awaitPullInFlight(forcedPull.get());
				context.close();
			});
		assertThat(seenByTheWebServer.get()).as("the pull, when the web server began its graceful shutdown")
			.isNotNull()
			.satisfies((result) -> {
				assertThat(result.outcome()).isEqualTo(SyncOutcome.FAILED);
				assertThat(result.version()).isEqualTo("v1");
			});
		assertThat(CacheFile.assertOneConsistentSnapshot(cacheFile, 50)).isEqualTo("v1");
	}

	@Test
	void processToldToStopWhileTheStartWaitsForAHangingServerStopsWaiting() throws Exception {
		CountDownLatch asked = new CountDownLatch(1);
		try (MockWebServer hanging = new MockWebServer()) {
			hanging.setDispatcher(new Dispatcher() {

				@Override
				public MockResponse dispatch(RecordedRequest request) {
					asked.countDown();
					return json(StampedConfig.body("v1", 50)).headersDelay(10, TimeUnit.MINUTES).build();
				}

			});
			hanging.start();
			try (ChildJvm child = ChildJvm.start(List.of(), StartupWaitChild.class, hanging.url("/").toString(),
					this.temp.resolve("cache.db").toString())) {
				assertThat(asked.await(60, TimeUnit.SECONDS)).as(child.output()).isTrue();
				// SIGTERM, through the process handle: Process.destroy() would also close the child's output.
				child.process().toHandle().destroy();
				assertThat(child.await((line) -> line.startsWith("STARTED"), Duration.ofSeconds(60)))
					.as(child.output())
					.isEqualTo("STARTED none");
				assertThat(child.await("CLOSED"::equals, Duration.ofSeconds(60))).as(child.output()).isNotNull();
				assertThat(child.process().waitFor(60, TimeUnit.SECONDS)).as(child.output()).isTrue();
				assertThat(child.output()).contains("The JVM is shutting down; not waiting for the first pull");
			}
		}
	}

	private void awaitPullInFlight(CompletableFuture<SyncResult> pull) throws InterruptedException {
		Awaitility.await("the second /all request reached the server")
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.allRequests.get() == 2);
		// Let the headers arrive so that the client is reading the body.
		Thread.sleep(200);
		assertThat(pull).as("the pull is still in flight").isNotDone();
	}

	/**
	 * Stands for the web server's graceful shutdown: stopped in its phase, it runs what
	 * the server would do, wait for the requests in progress.
	 */
	static final class GracefulShutdown implements SmartLifecycle {

		private final Runnable drain;

		private volatile boolean running;

		GracefulShutdown(Runnable drain) {
			this.drain = drain;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.drain.run();
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE;
		}

	}

}
