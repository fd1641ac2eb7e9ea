package io.agentkit.sync.hardening;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.agentkit.sync.ConfigSnapshot;
import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.SyncOutcome;
import io.agentkit.sync.SyncResult;
import io.agentkit.sync.SyncStatus;
import io.agentkit.sync.test.TestEngine;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long run of sync cycles against a server and a disk that go wrong at random, step
 * after step, checked against a model of what must be in force: a new version, the same
 * one, a body that breaks the protocol, an error status, a connection closed, an answer
 * later than the timeout, a version endpoint that disagrees with the configuration, a
 * cache that cannot be written. After every step the configuration in force is the last
 * valid one served, whole; the cache holds it whenever it can be written; the status says
 * whether the cycle failed; and a reader on another thread never sees a mix of two
 * versions or a version older than one it saw.
 */
class RandomFaultSequenceTests {

	private static final int STEPS = 200;

	private static final int SKILLS = 20;

	private static final Duration TIMEOUT = Duration.ofMillis(250);

	private static final int FIRST_PULL_ATTEMPTS = 20;

	private static final List<String> INVALID_BODIES = List.of("<html>Bad gateway</html>", "{\"skills\": []}",
			"{\"version\": \"vX\", \"skills\": {}}", "{\"version\": \"vX\", \"skills\": [{\"id\": 1}]}",
			"{\"version\": \"vX\", \"skills\": [{\"name\": \"a\", \"n\": 1e99999999999}]}", "{\"version\": \"vX\", \"sk",
			"", "{\"version\": \"\"}");

	@TempDir
	Path temp;

	@Test
	@Timeout(value = 5, unit = TimeUnit.MINUTES)
	void configurationInForceIsAlwaysTheLastValidOneServedAndTheCacheHoldsIt() throws Exception {
		Path cacheFile = this.temp.resolve("agentkit/config_cache.db");
		FaultyServer faults = new FaultyServer();
		try (MockWebServer server = new MockWebServer()) {
			server.setDispatcher(faults);
			server.start();
			try (TestEngine engine = TestEngine.builder(server.url("/").toString(), cacheFile)
				.timeout(TIMEOUT)
				.pollInterval(Duration.ofHours(1))
				.start()) {
				ConfigSync sync = engine.sync;
				AtomicBoolean done = new AtomicBoolean();
				AtomicReference<String> readerFault = new AtomicReference<>();
				Thread readerThread = new Thread(() -> read(sync, done, readerFault), "reader");
				readerThread.start();
				try {
					run(sync, faults, cacheFile);
				}
				finally {
					done.set(true);
					readerThread.join();
				}
				assertThat(readerFault.get()).as("what the reader saw").isNull();
			}
		}
	}

	private void run(ConfigSync sync, FaultyServer faults, Path cacheFile) throws IOException, SQLException {
		SplittableRandom random = new SplittableRandom(42);
		long inForce = 1;
		// The first pull runs while the JVM still loads the client, which on a busy machine can take longer than
		// TIMEOUT; the server serves v1 until the first step, so pulling again is the same pull.
		for (int attempt = 0; attempt < FIRST_PULL_ATTEMPTS && sync.getVersion() == null; attempt++) {
			sync.syncNow(true);
		}
		assertThat(sync.getVersion()).isEqualTo("v1");
		List<String> trail = new ArrayList<>();
		for (int step = 0; step < STEPS; step++) {
			Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
			boolean force = random.nextBoolean();
			boolean cacheBroken = random.nextInt(8) == 0;
			trail.add(fault + (force ? " forced" : "") + (cacheBroken ? " cache broken" : ""));
			if (cacheBroken) {
				// A folder where the file should be: every write fails, a read says why.
				Files.deleteIfExists(cacheFile);
				Files.createDirectories(cacheFile);
			}
			faults.next(fault, INVALID_BODIES.get(random.nextInt(INVALID_BODIES.size())));
			SyncResult result = sync.syncNow(force);
			boolean valid = fault == Fault.NEW_VERSION || fault == Fault.SAME || fault == Fault.DISAGREEING_VERSION;
			if (fault == Fault.NEW_VERSION) {
				inForce = faults.served();
			}
			String context = "step " + step + ", after " + trail.subList(Math.max(0, trail.size() - 5), trail.size())
					+ ": " + result;
			assertThat(sync.getVersion()).as(context).isEqualTo(StampedConfig.version(inForce));
			StampedConfig.assertConsistent(sync.getSnapshot().orElseThrow(), SKILLS);
			SyncStatus status = sync.getStatus();
			if (valid) {
				assertThat(result.outcome()).as(context).isNotEqualTo(SyncOutcome.FAILED);
				assertThat(status.lastError()).as(context).isNull();
			}
			else {
				assertThat(result.outcome()).as(context).isEqualTo(SyncOutcome.FAILED);
				assertThat(result.error()).as(context).isNotBlank();
				assertThat(status.lastError()).as(context).isNotBlank();
				assertThat(status.consecutiveFailures()).as(context).isPositive();
			}
			if (cacheBroken) {
				if (valid) {
					assertThat(status.cacheError()).as(context).isNotBlank();
				}
				FileSystemUtils.deleteRecursively(cacheFile);
			}
			else if (valid) {
				// A valid cycle writes the cache, also when an earlier one could not.
				assertThat(status.cacheError()).as(context).isNull();
				assertThat(CacheFile.assertOneConsistentSnapshot(cacheFile, SKILLS)).as(context)
					.isEqualTo(StampedConfig.version(inForce));
			}
		}
	}

	private static void read(ConfigSync sync, AtomicBoolean done, AtomicReference<String> fault) {
		long highest = 0;
		while (!done.get() && fault.get() == null) {
			ConfigSnapshot snapshot = sync.getSnapshot().orElse(null);
			if (snapshot == null) {
				continue;
			}
			String mismatch = StampedConfig.firstMismatch(snapshot);
			long number = Long.parseLong(snapshot.version().substring(1));
			if (mismatch != null) {
				fault.set(mismatch);
			}
			else if (number < highest) {
				fault.set("saw " + snapshot.version() + " after v" + highest);
			}
			highest = Math.max(highest, number);
		}
	}

	/**
	 * What the server does in a step.
	 */
	private enum Fault {

		NEW_VERSION, SAME, INVALID_BODY, SERVER_ERROR, CONNECTION_CLOSED, TOO_LATE, DISAGREEING_VERSION

	}

	/**
	 * Serves the stamped configuration of its current version, or the fault of the step.
	 */
	private static final class FaultyServer extends Dispatcher {

		private volatile long version = 1;

		private volatile Fault fault = Fault.SAME;

		private volatile String invalidBody = "";

		void next(Fault fault, String invalidBody) {
			if (fault == Fault.NEW_VERSION) {
				this.version++;
			}
			this.invalidBody = invalidBody;
			this.fault = fault;
		}

		long served() {
			return this.version;
		}

		@Override
		public MockResponse dispatch(RecordedRequest request) {
			boolean all = request.getUrl().encodedPath().endsWith("/all");
			String version = StampedConfig.version(this.version);
			return switch (this.fault) {
				case NEW_VERSION, SAME -> json(all ? StampedConfig.body(version, SKILLS) : versionBody(version));
				case DISAGREEING_VERSION ->
					json(all ? StampedConfig.body(version, SKILLS) : versionBody(version + "-elsewhere"));
				case INVALID_BODY -> json(all ? this.invalidBody : versionBody(version + "-next"));
				case SERVER_ERROR -> new MockResponse.Builder().code(500).body("{\"error\": \"boom\"}").build();
				case CONNECTION_CLOSED -> new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket())
					.build();
				case TOO_LATE -> json(all ? StampedConfig.body(version, SKILLS) : versionBody(version + "-next"))
					.newBuilder()
					.headersDelay(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS)
					.build();
			};
		}

		private static String versionBody(String version) {
			return "{\"version\": \"" + version + "\"}";
		}

		private static MockResponse json(String body) {
			return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
		}

	}

}
