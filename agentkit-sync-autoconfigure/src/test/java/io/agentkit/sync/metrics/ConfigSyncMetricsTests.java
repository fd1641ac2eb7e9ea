package io.agentkit.sync.metrics;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.test.AgentKitTestServer;
import io.agentkit.sync.test.TestEngine;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConfigSyncMetrics} with a {@link SimpleMeterRegistry}.
 */
class ConfigSyncMetricsTests {

	private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

	@TempDir
	Path temp;

	private AgentKitTestServer server;

	private TestEngine engine;

	private ConfigSync configSync;

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@BeforeEach
	void start() throws Exception {
		this.server = new AgentKitTestServer();
		this.engine = TestEngine.builder(this.server.url(), this.temp.resolve("cache.db"))
			.clock(Clock.fixed(NOW, ZoneOffset.UTC))
			.build();
		this.configSync = this.engine.sync;
		// As in an application: the engine starts when its bean is made, the meters are bound later.
		this.configSync.start();
		metrics().bindTo(this.registry);
	}

	private ConfigSyncMetrics metrics() {
		return new ConfigSyncMetrics(this.configSync, Clock.fixed(NOW.plusSeconds(30), ZoneOffset.UTC));
	}

	@AfterEach
	void stop() {
		this.engine.close();
		this.server.close();
	}

	@Test
	void startupPullBeforeTheMetersWereBoundIsCountedAndTimed() {
		assertThat(cycles("updated")).isEqualTo(1.0);
		assertThat(this.registry.get("agentkit.sync.pull").functionTimer().count()).isEqualTo(1);
		assertThat(this.registry.get("agentkit.sync.pull").functionTimer().totalTime(TimeUnit.NANOSECONDS))
			.isPositive();
		assertThat(gauge("agentkit.sync.skills")).isEqualTo(1.0);
		assertThat(gauge("agentkit.sync.workflows")).isEqualTo(1.0);
		assertThat(gauge("agentkit.sync.age")).isEqualTo(30.0);
		assertThat(gauge("agentkit.sync.consecutive.failures")).isZero();
	}

	@Test
	void unchangedAndFailedCyclesAreCounted() {
		this.configSync.syncNow();
		this.server.answerWith(500);
		this.configSync.syncNow();
		this.configSync.syncNow();
		assertThat(cycles("unchanged")).isEqualTo(1.0);
		assertThat(cycles("failed")).isEqualTo(2.0);
		assertThat(gauge("agentkit.sync.consecutive.failures")).isEqualTo(2.0);
		assertThat(gauge("agentkit.sync.skills")).isEqualTo(1.0);
	}

	@Test
	void failedStartupCyclesAreCountedAsTheConsecutiveFailuresAre() {
		this.server.answerWith(500);
		try (TestEngine failing = TestEngine.builder(this.server.url(), this.temp.resolve("other.db")).build()) {
			failing.sync.start();
			failing.sync.syncNow();
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			new ConfigSyncMetrics(failing.sync, Clock.systemUTC()).bindTo(registry);
			assertThat(registry.get("agentkit.sync.cycles").tag("outcome", "failed").functionCounter().count())
				.isEqualTo(2.0)
				.isEqualTo(registry.get("agentkit.sync.consecutive.failures").gauge().value());
			assertThat(registry.get("agentkit.sync.cycles").tag("outcome", "updated").functionCounter().count())
				.isZero();
		}
	}

	@Test
	void registriesBoundAtDifferentTimesAgree() {
		this.configSync.syncNow();
		SimpleMeterRegistry later = new SimpleMeterRegistry();
		metrics().bindTo(later);
		this.configSync.syncNow();
		assertThat(later.get("agentkit.sync.cycles").tag("outcome", "unchanged").functionCounter().count())
			.isEqualTo(cycles("unchanged"))
			.isEqualTo(2.0);
	}

	@Test
	void metersHaveDescriptionsAndBaseUnits() {
		for (String name : new String[] { "agentkit.sync.cycles", "agentkit.sync.pull", "agentkit.sync.age",
				"agentkit.sync.skills", "agentkit.sync.workflows", "agentkit.sync.consecutive.failures" }) {
			Meter.Id id = this.registry.get(name).meter().getId();
			assertThat(id.getDescription()).as(name).isNotBlank();
			if (!name.equals("agentkit.sync.pull")) {
				assertThat(id.getBaseUnit()).as(name).isNotBlank();
			}
		}
	}

	private double cycles(String outcome) {
		return this.registry.get("agentkit.sync.cycles").tag("outcome", outcome).functionCounter().count();
	}

	private double gauge(String name) {
		return this.registry.get(name).gauge().value();
	}

}
