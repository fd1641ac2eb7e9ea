package io.agentkit.sync.benchmarks;

import java.nio.file.Path;
import java.util.List;

import io.agentkit.sync.SyncOutcome;
import io.agentkit.sync.benchmarks.Engines.Engine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StubConfigServer}, driven by the engine and the floor as the
 * benchmarks drive them.
 */
class StubConfigServerTests {

	@TempDir
	Path work;

	private StubConfigServer server;

	@BeforeEach
	void startServer() throws Exception {
		this.server = StubConfigServer.start(List.of(100));
	}

	@AfterEach
	void stopServer() throws Exception {
		this.server.close();
	}

	@Test
	void everyPullPutsANewVersionInForceAndAPollAfterItIsUnchanged() {
		try (Engine engine = Engines.create(this.server.url(100), this.work.resolve("cache.db"))) {
			engine.sync().start();
			String first = engine.sync().getVersion();
			assertThat(engine.sync().syncNow(true).outcome()).isEqualTo(SyncOutcome.UPDATED);
			assertThat(engine.sync().getVersion()).isNotEqualTo(first);
			assertThat(engine.sync().syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
			assertThat(engine.sync().getSkills()).hasSize(100);
		}
	}

	@Test
	void eachUrlPrefixAlternatesOnItsOwn() throws Exception {
		try (Engine engine = Engines.create(this.server.url(100), this.work.resolve("cache.db"));
				Floor floor = new Floor(java.net.URI.create(this.server.url(100) + "-floor"),
						this.work.resolve("floor.db"))) {
			engine.sync().start();
			String first = floor.pull().version();
			assertThat(engine.sync().syncNow(true).outcome()).isEqualTo(SyncOutcome.UPDATED);
			assertThat(floor.pull().version()).isNotEqualTo(first);
			assertThat(engine.sync().syncNow(true).outcome()).isEqualTo(SyncOutcome.UPDATED);
		}
	}

	@Test
	void proxyCountsTheBytesOfAPoll() {
		try (Engine engine = Engines.create(this.server.proxiedUrl(100), this.work.resolve("cache.db"))) {
			engine.sync().start();
			StubConfigServer.WireStats before = this.server.stats();
			assertThat(engine.sync().syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
			StubConfigServer.WireStats after = this.server.stats();
			assertThat(after.versionRequests() - before.versionRequests()).isOne();
			assertThat(after.allRequests()).isEqualTo(before.allRequests());
			assertThat(after.bytesToServer() - before.bytesToServer()).isBetween(50L, 1_000L);
			assertThat(after.bytesToClient() - before.bytesToClient()).isBetween(50L, 1_000L);
		}
	}

	@Test
	void floorPullsParsesAndWritesTheSameBody() throws Exception {
		try (Floor floor = new Floor(this.server.url(100), this.work.resolve("floor.db"))) {
			Floor.Parsed parsed = floor.pull();
			assertThat(parsed.skills()).isEqualTo(100);
			assertThat(floor.versionEquals(parsed.version())).isTrue();
		}
		Floor.Parsed cached = Floor.loadCache(new tools.jackson.core.json.JsonFactory(), this.work.resolve("floor.db"));
		assertThat(cached.skills()).isEqualTo(100);
		try (Engine engine = Engines.create(this.server.url(100), this.work.resolve("floor.db"))) {
			assertThat(engine.cache().load()).hasValueSatisfying(
					(document) -> assertThat(document.snapshot().skills()).hasSize(100));
		}
		try (java.sql.Connection connection = java.sql.DriverManager
			.getConnection("jdbc:sqlite:" + this.work.resolve("floor.db"));
				java.sql.ResultSet types = connection.createStatement()
					.executeQuery("SELECT DISTINCT typeof(value) FROM config_cache")) {
			assertThat(types.next()).isTrue();
			assertThat(types.getString(1)).isEqualTo("text");
			assertThat(types.next()).isFalse();
		}
	}

}
