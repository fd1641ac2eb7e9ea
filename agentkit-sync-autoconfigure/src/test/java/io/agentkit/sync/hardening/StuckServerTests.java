package io.agentkit.sync.hardening;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.agentkit.sync.ConfigDocumentReader;
import io.agentkit.sync.ConfigSyncListener;
import io.agentkit.sync.SyncOutcome;
import io.agentkit.sync.SyncResult;
import io.agentkit.sync.client.ConfigServerException;
import io.agentkit.sync.client.WebClientConfigServerClient;
import io.agentkit.sync.test.MutableClock;
import io.agentkit.sync.test.TestEngine;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Mono;

import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Slow and stuck servers: headers that never come, a body that trickles one byte every
 * 100 ms, a connection that never opens (a full accept queue). For each, an engine runs
 * 50 cycles, each started by the poller's {@code pollIfDue()} once due; every cycle fails
 * within the timeout (plus a margin for scheduling), and afterwards no thread, file
 * descriptor or connection is left behind, and no error or stack trace was logged. The three run side by side to keep the test
 * short.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "counts file descriptors in /proc/self/fd and relies on Linux dropping SYNs to a full accept queue")
class StuckServerTests {

	private static final Duration TIMEOUT = Duration.ofMillis(250);

	private static final Duration MARGIN = Duration.ofMillis(750);

	private static final int WARM_UP = 3;

	private static final int CYCLES = 50;

	@TempDir
	Path temp;

	@Test
	void everyCycleFailsWithinTheTimeoutWithoutLeaksAndPollingGoesOn() throws Exception {
		List<Scenario> scenarios = new ArrayList<>();
		ExecutorService runner = Executors.newFixedThreadPool(StuckServer.Kind.values().length);
		try (LogCapture logs = LogCapture.capture()) {
			for (StuckServer.Kind kind : StuckServer.Kind.values()) {
				scenarios.add(new Scenario(kind, this.temp.resolve(kind + ".db")));
			}
			for (Future<?> warmUp : runner.invokeAll(scenarios.stream().map((it) -> it.task(WARM_UP)).toList())) {
				warmUp.get();
			}
			int threadsBefore = liveThreads();
			long descriptorsBefore = openFileDescriptors();
			for (Future<?> run : runner.invokeAll(scenarios.stream().map((it) -> it.task(CYCLES)).toList())) {
				run.get();
			}
			for (Scenario scenario : scenarios) {
				scenario.assertNoConnectionLeft();
			}
			Awaitility.await("no thread or file descriptor left behind")
				.atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> {
					assertThat(liveThreads()).as("live threads").isLessThanOrEqualTo(threadsBefore + 3);
					assertThat(openFileDescriptors()).as("open file descriptors")
						.isLessThanOrEqualTo(descriptorsBefore + 5);
				});
			assertThat(logs.errorsAndStackTraces()).as("errors and stack traces logged").isEmpty();
		}
		finally {
			runner.shutdownNow();
			for (Scenario scenario : scenarios) {
				scenario.close();
			}
		}
	}

	/**
	 * Under load the timeout and the connection's own failure (connect timeout, reset) can
	 * fire together; the one that comes second is dropped by Reactor, which by default
	 * logs it at ERROR with a stack trace. Here a connection fails only once the timeout
	 * cancelled it, every time.
	 */
	@Test
	void failureArrivingAfterTheTimeoutIsNotLoggedAsAnError() {
		ExchangeFilterFunction failsWhenCancelled = (request, next) -> Mono
			.from((subscriber) -> subscriber.onSubscribe(new Subscription() {

				@Override
				public void request(long n) {
				}

				@Override
				public void cancel() {
					subscriber.onError(new IOException("connection reset after the request timed out"));
				}

			}));
		try (LogCapture logs = LogCapture.capture();
				WebClientConfigServerClient client = new WebClientConfigServerClient(
						WebClient.builder().filter(failsWhenCancelled), URI.create("http://127.0.0.1:9"), () -> null,
						TIMEOUT, DataSize.ofMegabytes(1), false, new ConfigDocumentReader(), Clock.systemUTC())) {
			assertThatExceptionOfType(ConfigServerException.class).isThrownBy(client::fetchVersion)
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.TIMEOUT));
			assertThat(logs.errorsAndStackTraces()).as("errors and stack traces logged").isEmpty();
		}
	}

	private static int liveThreads() {
		return ManagementFactory.getThreadMXBean().getThreadCount();
	}

	private static long openFileDescriptors() throws IOException {
		try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
			return descriptors.count();
		}
	}

	/**
	 * One stuck server and an engine polling it on a clock of its own.
	 */
	private static final class Scenario implements AutoCloseable {

		private final StuckServer.Kind kind;

		private final StuckServer server;

		private final TestEngine engine;

		private final MutableClock clock = new MutableClock(Instant.parse("2027-03-01T10:00:00Z"));

		private final BlockingQueue<SyncResult> results = new LinkedBlockingQueue<>();

		private int cycles;

		Scenario(StuckServer.Kind kind, Path cacheFile) throws Exception {
			this.kind = kind;
			this.server = new StuckServer(kind);
			this.engine = TestEngine.builder(this.server.url(), cacheFile)
				.timeout(TIMEOUT)
				.startupTimeout(Duration.ofSeconds(5))
				.clock(this.clock)
				.build();
			this.engine.sync.addListener(new ConfigSyncListener() {

				@Override
				public void cycleCompleted(SyncResult result) {
					Scenario.this.results.add(result);
				}

			});
			this.engine.sync.start();
			SyncResult first = this.results.poll(5, TimeUnit.SECONDS);
			assertThat(first).as(kind + ": first pull").isNotNull();
			assertThat(first.outcome()).isEqualTo(SyncOutcome.FAILED);
			this.cycles = 1;
			assertThat(this.engine.sync.pollIfDue()).as(kind + ": a check before it is due").isFalse();
		}

		java.util.concurrent.Callable<Void> task(int count) {
			return () -> {
				for (int i = 0; i < count; i++) {
					runOneFailingCycle();
				}
				assertThat(this.engine.sync.getStatus().consecutiveFailures()).as(this.kind.toString())
					.isEqualTo(this.cycles);
				return null;
			};
		}

		private void runOneFailingCycle() throws InterruptedException {
			Instant due = this.engine.sync.getStatus().nextPollAt();
			assertThat(due).as(this.kind + ": the next check is scheduled").isNotNull();
			this.clock.set(due.plusMillis(1));
			// The previous cycle may still be winding down for a moment after it reported.
			Awaitility.await(this.kind + ": pollIfDue starts a cycle once due")
				.atMost(Duration.ofSeconds(1))
				.pollInterval(Duration.ofMillis(1))
				.until(this.engine.sync::pollIfDue);
			long start = System.nanoTime();
			SyncResult result = this.results.poll(10, TimeUnit.SECONDS);
			Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
			this.cycles++;
			assertThat(result).as(this.kind + ": the cycle ended").isNotNull();
			assertThat(result.outcome()).isEqualTo(SyncOutcome.FAILED);
			assertThat(elapsed).as("%s cycle failing with '%s'", this.kind, result.error())
				.isLessThanOrEqualTo(TIMEOUT.plus(MARGIN));
			if (this.kind != StuckServer.Kind.BLACKHOLE) {
				assertThat(result.error()).contains("timed out");
			}
		}

		void assertNoConnectionLeft() {
			if (this.kind != StuckServer.Kind.BLACKHOLE) {
				assertThat(this.server.acceptedConnections()).isGreaterThanOrEqualTo(this.cycles);
				Awaitility.await(this.kind + ": every connection closed by the client")
					.atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(this.server.openConnections()).isZero());
			}
		}

		@Override
		public void close() throws IOException {
			this.engine.close();
			this.server.close();
		}

	}

}
