package io.agentkit.sync.hardening;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.agentkit.sync.ConfigSource;
import io.agentkit.sync.SyncOutcome;
import io.agentkit.sync.SyncResult;
import io.agentkit.sync.SyncStatus;
import io.agentkit.sync.client.ConfigServerException;
import io.agentkit.sync.test.TestEngine;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Expired tokens: on a 401 the token provider is asked again and the request retried
 * once; a 401 that lasts is reported as {@code UNAUTHORIZED} (a message naming the 401
 * and the token), not as a network error, and the configuration in force stays.
 */
class ExpiredTokenTests {

	@TempDir
	Path temp;

	private final MockWebServer server = new MockWebServer();

	private final List<String> authorizations = new CopyOnWriteArrayList<>();

	private final AtomicReference<String> acceptedToken = new AtomicReference<>("new");

	@BeforeEach
	void startServer() throws Exception {
		this.server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				String authorization = request.getHeaders().get("Authorization");
				ExpiredTokenTests.this.authorizations.add(String.valueOf(authorization));
				if (!("Bearer " + ExpiredTokenTests.this.acceptedToken.get()).equals(authorization)) {
					return new MockResponse.Builder().code(401).build();
				}
				String body = request.getTarget().endsWith("/version") ? "{\"version\":\"v1\"}"
						: StampedConfig.body("v1", 2);
				return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
			}

		});
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void unauthorizedAsksTheProviderAgainAndRetriesOnce() {
		AtomicInteger calls = new AtomicInteger();
		try (TestEngine engine = engine(() -> (calls.incrementAndGet() == 1) ? "old" : "new")) {
			assertThat(engine.sync.getVersion()).isEqualTo("v1");
			assertThat(engine.sync.getStatus().source()).isEqualTo(ConfigSource.SERVER);
			assertThat(engine.sync.getStatus().consecutiveFailures()).isZero();
		}
		assertThat(this.authorizations).containsExactly("Bearer old", "Bearer new");
		assertThat(calls).hasValue(2);
	}

	@Test
	void lastingUnauthorizedIsReportedAsUnauthorizedAndNotRetriedInALoop() {
		AtomicInteger calls = new AtomicInteger();
		try (TestEngine engine = engine(() -> "old-" + calls.incrementAndGet())) {
			assertThat(engine.sync.getVersion()).isNull();
			SyncStatus status = engine.sync.getStatus();
			assertThat(status.consecutiveFailures()).isEqualTo(1);
			assertThat(status.lastError()).contains("401").contains("token").doesNotContain("old-");
			assertThatExceptionOfType(ConfigServerException.class).isThrownBy(engine.client::fetchVersion)
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.UNAUTHORIZED));
		}
		assertThat(this.authorizations).containsExactly("Bearer old-1", "Bearer old-2", "Bearer old-3",
				"Bearer old-4");
	}

	@Test
	void revokedTokenKeepsTheConfigurationInForceAndSaysWhy() {
		AtomicReference<String> token = new AtomicReference<>("new");
		try (TestEngine engine = engine(token::get)) {
			assertThat(engine.sync.getVersion()).isEqualTo("v1");
			this.acceptedToken.set("rotated");
			SyncResult result = engine.sync.syncNow();
			assertThat(result.outcome()).isEqualTo(SyncOutcome.FAILED);
			assertThat(result.version()).isEqualTo("v1");
			assertThat(engine.sync.getStatus().lastError()).contains("401").contains("token");
			token.set("rotated");
			assertThat(engine.sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
			assertThat(engine.sync.getStatus().lastError()).isNull();
		}
	}

	private TestEngine engine(io.agentkit.sync.TokenProvider tokenProvider) {
		return TestEngine.builder(this.server.url("/").toString(), this.temp.resolve("cache.db"))
			.tokenProvider(tokenProvider)
			.timeout(Duration.ofSeconds(5))
			.start();
	}

}
