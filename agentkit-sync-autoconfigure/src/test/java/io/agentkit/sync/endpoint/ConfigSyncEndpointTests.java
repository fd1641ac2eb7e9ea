package io.agentkit.sync.endpoint;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.agentkit.sync.test.AgentKitTestServer;
import io.agentkit.sync.test.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConfigSyncEndpoint}.
 */
class ConfigSyncEndpointTests {

	@TempDir
	Path temp;

	private AgentKitTestServer server;

	@BeforeEach
	void startServer() throws Exception {
		this.server = new AgentKitTestServer();
		this.server.serve("v1", "[{\"name\":\"a\"}]", "[]");
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void postAnswersFailedOnceItsWaitIsOverWhileACycleIsStuckAndTheCycleGoesOn() throws Exception {
		CountDownLatch released = new CountDownLatch(1);
		CountDownLatch asked = new CountDownLatch(2);
		try (TestEngine engine = TestEngine.builder(this.server.url(), this.temp.resolve("cache.db"))
			.tokenProvider(() -> {
				asked.countDown();
				if (asked.getCount() == 0) {
					// The identity provider of the second request never answers, until released.
					await(released);
				}
				return "token";
			})
			.start()) {
			ConfigSyncEndpoint endpoint = new ConfigSyncEndpoint(engine.sync, Duration.ofMinutes(15),
					Clock.systemUTC(), Duration.ofMillis(300));
			Map<String, Object> answer = endpoint.sync(true);
			assertThat(answer).containsEntry("outcome", "FAILED").containsEntry("version", "v1");
			assertThat((String) answer.get("error")).contains("did not end within 300 ms");
			released.countDown();
			assertThat(endpoint.sync(false)).containsEntry("outcome", "UNCHANGED");
		}
	}

	@Test
	void longestCycleAllowsEveryRequestOfACycleItsWholeTimeout() {
		assertThat(ConfigSyncEndpoint.longestCycle(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(130));
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
