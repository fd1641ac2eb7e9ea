package io.agentkit.sync.hardening;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.agentkit.sync.ConfigDocumentReader;
import io.agentkit.sync.ConfigSource;
import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.ConfigSyncStartupException;
import io.agentkit.sync.StartupMode;
import io.agentkit.sync.SyncStatus;
import io.agentkit.sync.cache.SqliteConfigCacheRepository;
import io.agentkit.sync.client.WebClientConfigServerClient;
import io.agentkit.sync.test.TestEngine;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Every start the engine can meet: each state of the cache (none, a valid one, a file
 * that is not a database, a folder in its place, rows that break the protocol) with each
 * state of the server (up, down, failing, serving an invalid body, later than the startup
 * timeout), in both startup modes, failing fast or not. Each start puts in force what the
 * startup mode promises, or fails fast with a message that names both causes, or starts
 * with nothing and says why; once the server answers, its configuration is in force and
 * in the cache.
 */
class StartupMatrixTests {

	private static final int SKILLS = 3;

	private static final Duration STARTUP_TIMEOUT = Duration.ofMillis(500);

	private final ConfigDocumentReader reader = new ConfigDocumentReader();

	private final List<TestEngine> engines = new ArrayList<>();

	@TempDir
	Path temp;

	private MockWebServer server;

	/**
	 * Make one request first, so the first start of the matrix is not the one that loads
	 * the HTTP client's classes within its startup timeout.
	 */
	@BeforeAll
	static void warmUp() throws IOException {
		try (MockWebServer server = new MockWebServer()) {
			server.setDispatcher(ServerState.UP.dispatcher());
			server.start();
			try (WebClientConfigServerClient client = new WebClientConfigServerClient(WebClient.builder(),
					URI.create(server.url("/").toString()), () -> "token", Duration.ofSeconds(10),
					DataSize.ofMegabytes(8), false, new ConfigDocumentReader(), Clock.systemUTC())) {
				client.fetchAll();
			}
		}
	}

	@BeforeEach
	void startServer() throws IOException {
		this.server = new MockWebServer();
		this.server.start();
	}

	@AfterEach
	void stopEverything() {
		this.engines.forEach(TestEngine::close);
		this.server.close();
	}

	static List<Arguments> starts() {
		List<Arguments> starts = new ArrayList<>();
		for (CacheState cache : CacheState.values()) {
			for (ServerState server : ServerState.values()) {
				for (StartupMode mode : StartupMode.values()) {
					for (boolean failFast : new boolean[] { false, true }) {
						starts.add(Arguments.of(cache, server, mode, failFast));
					}
				}
			}
		}
		return starts;
	}

	@ParameterizedTest(name = "cache {0}, server {1}, {2}, fail fast {3}")
	@MethodSource("starts")
	void startPutsInForceWhatTheModePromisesOrSaysWhyNothingIs(CacheState cache, ServerState server,
			StartupMode mode, boolean failFast) throws IOException, SQLException {
		Path cacheFile = this.temp.resolve("agentkit/config_cache.db");
		cache.prepare(cacheFile, this.reader);
		String url = this.server.url("/").toString();
		if (server == ServerState.DOWN) {
			this.server.close();
		}
		else {
			this.server.setDispatcher(server.dispatcher());
		}
		TestEngine engine = TestEngine.builder(url, cacheFile)
			.pollInterval(Duration.ofHours(1))
			.startupTimeout(STARTUP_TIMEOUT)
			.startupMode(mode)
			.failFast(failFast)
			.build();
		this.engines.add(engine);
		ConfigSync sync = engine.sync;
		boolean cacheUsable = cache == CacheState.VALID;
		boolean serverAnswersInTime = server == ServerState.UP;
		if (!cacheUsable && !serverAnswersInTime && failFast) {
			assertThatExceptionOfType(ConfigSyncStartupException.class).isThrownBy(sync::start)
				.withMessageContaining("no AgentKit configuration is in force")
				.withMessageContaining(" and ");
			return;
		}
		sync.start();
		SyncStatus status = sync.getStatus();
		// Cache first, a cached configuration is in force at once, and the server's the moment its pull ends.
		boolean cachedFirst = cacheUsable && mode == StartupMode.CACHE_FIRST;
		if (cacheUsable && !serverAnswersInTime) {
			assertThat(sync.getVersion()).isEqualTo("v0");
			assertThat(status.source()).isEqualTo(ConfigSource.CACHE);
		}
		else if (serverAnswersInTime && !cachedFirst) {
			assertThat(sync.getVersion()).isEqualTo("v1");
			assertThat(status.source()).isEqualTo(ConfigSource.SERVER);
		}
		else if (!serverAnswersInTime) {
			assertThat(sync.getSnapshot()).isEmpty();
			assertThat(status.source()).isEqualTo(ConfigSource.NONE);
			if (server != ServerState.LATE) {
				// A late server has not failed yet: the start's warning says it did not answer in time.
				assertThat(status.lastError()).isNotBlank();
			}
		}
		if (sync.getSnapshot().isPresent()) {
			StampedConfig.assertConsistent(sync.getSnapshot().orElseThrow(), SKILLS);
		}
		if ((cache == CacheState.NOT_A_DATABASE || cache == CacheState.INVALID_ROWS) && !serverAnswersInTime) {
			// Read, and set aside, at the start; a server that answers writes a new cache and clears the error.
			assertThat(status.cacheError()).contains("cannot be used");
		}
		if (server == ServerState.UP || server == ServerState.LATE) {
			// The server's configuration comes into force once it answers, cached before it is put in force.
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sync.getVersion()).isEqualTo("v1"));
			if (cache == CacheState.FOLDER) {
				assertThat(sync.getStatus().cacheError()).contains("is a folder");
			}
			else {
				assertThat(CacheFile.assertOneConsistentSnapshot(cacheFile, SKILLS)).isEqualTo("v1");
			}
		}
	}

	/**
	 * What the cache holds at the start.
	 */
	enum CacheState {

		NONE, VALID, NOT_A_DATABASE, FOLDER, INVALID_ROWS;

		void prepare(Path file, ConfigDocumentReader reader) throws IOException {
			Files.createDirectories(file.getParent());
			switch (this) {
				case NONE -> {
				}
				case VALID -> save(file, reader, StampedConfig.body("v0", SKILLS));
				case NOT_A_DATABASE -> Files.writeString(file, "not a database\n".repeat(100));
				case FOLDER -> Files.createDirectories(file);
				case INVALID_ROWS -> {
					save(file, reader, StampedConfig.body("v0", SKILLS));
					try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
							Statement statement = connection.createStatement()) {
						statement.executeUpdate("UPDATE config_cache SET value = '[{\"name\": ' WHERE key = 'skills'");
					}
					catch (SQLException ex) {
						throw new IOException(ex);
					}
				}
			}
		}

		private static void save(Path file, ConfigDocumentReader reader, String body) {
			new SqliteConfigCacheRepository(file, reader, Clock.systemUTC(), 5000)
				.save(reader.readAll(body.getBytes(StandardCharsets.UTF_8)));
		}

	}

	/**
	 * What the server does.
	 */
	enum ServerState {

		UP, DOWN, FAILING, INVALID, LATE;

		Dispatcher dispatcher() {
			return new Dispatcher() {

				@Override
				public MockResponse dispatch(RecordedRequest request) {
					boolean all = request.getUrl().encodedPath().endsWith("/all");
					return switch (ServerState.this) {
						case FAILING -> new MockResponse.Builder().code(503).build();
						case INVALID -> json(all ? "{\"version\": \"v1\", \"skills\": {}}" : "{\"version\": 1}");
						case LATE -> json(all ? StampedConfig.body("v1", SKILLS) : "{\"version\": \"v1\"}").newBuilder()
							.headersDelay(STARTUP_TIMEOUT.toMillis() + 300, TimeUnit.MILLISECONDS)
							.build();
						default -> json(all ? StampedConfig.body("v1", SKILLS) : "{\"version\": \"v1\"}");
					};
				}

			};
		}

		private static MockResponse json(String body) {
			return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
		}

	}

}
