package io.agentkit.sync.health;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.test.AgentKitTestServer;
import io.agentkit.sync.test.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConfigSyncHealthIndicator}: status and every detail key for a fresh, a
 * stale and no configuration.
 */
class ConfigSyncHealthIndicatorTests {

	private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");

	@TempDir
	Path temp;

	private AgentKitTestServer server;

	private TestEngine engine;

	private ConfigSync configSync;

	@BeforeEach
	void startServer() throws Exception {
		this.server = new AgentKitTestServer();
	}

	@AfterEach
	void stop() {
		if (this.engine != null) {
			this.engine.close();
		}
		this.server.close();
	}

	@Test
	void freshConfigurationIsUpWithAllDetails() {
		start();
		Health health = indicator(START.plusSeconds(60), Status.DOWN).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("version", "v1")
			.containsEntry("source", "server")
			.containsEntry("lastSuccessAt", START.toString())
			.containsEntry("serverSyncedAt", "2026-11-24T10:00:00Z")
			.containsEntry("ageSeconds", 60L)
			.containsEntry("stale", false)
			.containsEntry("skills", 1)
			.containsEntry("workflows", 1)
			.containsEntry("consecutiveFailures", 0)
			.containsEntry("lastError", null);
	}

	@Test
	void staleConfigurationReportsConfiguredStatus() {
		start();
		Health health = indicator(START.plus(Duration.ofMinutes(16)), Status.OUT_OF_SERVICE).health();
		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.getDetails()).containsEntry("stale", true).containsEntry("ageSeconds", 960L);
	}

	@Test
	void staleConfigurationIsUpByDefault() {
		start();
		Health health = indicator(START.plus(Duration.ofMinutes(16)), Status.UP).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("stale", true);
	}

	@Test
	void noConfigurationIsDownWithLastError() {
		this.server.answerWith(500);
		start();
		Health health = indicator(START, Status.UP).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("version", null)
			.containsEntry("source", "none")
			.containsEntry("lastSuccessAt", null)
			.containsEntry("ageSeconds", null)
			.containsEntry("stale", false)
			.containsEntry("skills", 0)
			.containsEntry("consecutiveFailures", 1);
		assertThat((String) health.getDetails().get("lastError")).contains("HTTP 500");
	}

	@Test
	void failureAfterSuccessKeepsUpAndCountsFailures() {
		start();
		this.server.answerWith(503);
		this.configSync.syncNow();
		Health health = indicator(START, Status.DOWN).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("version", "v1").containsEntry("consecutiveFailures", 1);
		assertThat((String) health.getDetails().get("lastError")).contains("HTTP 503");
	}

	private ConfigSyncHealthIndicator indicator(Instant now, Status staleStatus) {
		return new ConfigSyncHealthIndicator(this.configSync, Duration.ofMinutes(15), staleStatus,
				Clock.fixed(now, ZoneOffset.UTC));
	}

	private void start() {
		this.engine = TestEngine.builder(this.server.url(), this.temp.resolve("cache.db"))
			.clock(Clock.fixed(START, ZoneOffset.UTC))
			.build();
		this.configSync = this.engine.sync;
		this.configSync.start();
	}

}
