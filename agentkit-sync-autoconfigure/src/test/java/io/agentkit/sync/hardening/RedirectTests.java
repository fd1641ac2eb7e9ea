package io.agentkit.sync.hardening;

import java.nio.file.Path;
import java.time.Duration;

import io.agentkit.sync.SyncOutcome;
import io.agentkit.sync.SyncResult;
import io.agentkit.sync.test.TestEngine;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redirects are not followed: a server answering 3xx with a {@code Location} on another
 * port fails the cycle with a message saying so, and the other server receives no
 * request (so it never sees the token).
 */
class RedirectTests {

	@TempDir
	Path temp;

	@ParameterizedTest
	@ValueSource(ints = { 301, 302, 303, 307, 308 })
	void redirectIsNotFollowedAndTheOtherServerGetsNoRequest(int status) throws Exception {
		try (MockWebServer redirecting = new MockWebServer(); MockWebServer elsewhere = new MockWebServer()) {
			elsewhere.start();
			redirecting.setDispatcher(new mockwebserver3.Dispatcher() {

				@Override
				public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
					return new MockResponse.Builder().code(status)
						.addHeader("Location", elsewhere.url(request.getTarget()).toString())
						.build();
				}

			});
			redirecting.start();
			try (TestEngine engine = TestEngine.builder(redirecting.url("/").toString(), this.temp.resolve("cache.db"))
				.tokenProvider(() -> "tok-redirect-77")
				.timeout(Duration.ofSeconds(2))
				.start()) {
				SyncResult result = engine.sync.syncNow(true);
				assertThat(result.outcome()).isEqualTo(SyncOutcome.FAILED);
				assertThat(result.error()).contains("HTTP " + status)
					.contains("(a redirect to " + elsewhere.url("/api/v1/config/all") + ")");
				assertThat(engine.sync.getVersion()).isNull();
			}
			assertThat(redirecting.getRequestCount()).isEqualTo(2);
			assertThat(elsewhere.getRequestCount()).as("requests that reached the redirect target").isZero();
		}
	}

}
