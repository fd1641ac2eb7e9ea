package io.agentkit.sync;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

import io.agentkit.sync.cache.ConfigCacheException;
import io.agentkit.sync.cache.SqliteConfigCacheRepository;
import io.agentkit.sync.client.ConfigServerClient;
import io.agentkit.sync.client.WebClientConfigServerClient;
import io.agentkit.sync.test.MutableClock;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Tests for {@link ConfigSync}, built from real parts: a {@link MockWebServer} AgentKit
 * server, {@link WebClientConfigServerClient} and a SQLite cache file.
 */
class ConfigSyncTests {

	private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

	private static final Duration POLL_INTERVAL = Duration.ofMinutes(5);

	private final MutableClock clock = new MutableClock(START);

	private final ConfigDocumentReader reader = new ConfigDocumentReader();

	private final List<ConfigChangedEvent> events = new CopyOnWriteArrayList<>();

	private final List<ConfigSync> engines = new ArrayList<>();

	private final List<WebClientConfigServerClient> clients = new ArrayList<>();

	@TempDir
	Path tempDir;

	private Path cacheFile;

	private ConfigServer configServer;

	private MockWebServer server;

	private Duration clientTimeout = Duration.ofSeconds(5);

	private ConfigSyncSettings settings = new ConfigSyncSettings(POLL_INTERVAL, 0, StartupMode.SERVER_FIRST,
			Duration.ofSeconds(5), Duration.ofSeconds(5), false);

	private RandomGenerator random = PollScheduleTests.fixed(0.5);

	private TokenProvider tokenProvider = () -> "test-token";

	private PollSchedule pollSchedule;

	private Consumer<Object> eventPublisher = (event) -> this.events.add((ConfigChangedEvent) event);

	private SqliteConfigCacheRepository cacheRepository;

	private UnaryOperator<ConfigServerClient> clientWrapper = UnaryOperator.identity();

	@BeforeEach
	void startServer() throws IOException {
		this.cacheFile = this.tempDir.resolve("agentkit/config_cache.db");
		this.configServer = new ConfigServer();
		this.server = new MockWebServer();
		this.server.setDispatcher(this.configServer);
		this.server.start();
	}

	@AfterEach
	void stopEverything() {
		this.configServer.release();
		this.engines.forEach(ConfigSync::stop);
		this.clients.forEach(WebClientConfigServerClient::close);
		this.server.close();
	}

	// Startup

	@Test
	void firstPullAtStartPutsTheServersConfigurationInForce() {
		ConfigSync sync = start();
		assertThat(sync.getVersion()).isEqualTo("v1");
		assertThat(sync.getSkill("s1")).hasValueSatisfying((skill) -> assertThat(skill).containsEntry("version", "v1"));
		assertThat(sync.getWorkflow("w1")).isPresent();
		SyncStatus status = sync.getStatus();
		assertThat(status.source()).isEqualTo(ConfigSource.SERVER);
		assertThat(status.lastSuccessAt()).isEqualTo(START);
		assertThat(status.consecutiveFailures()).isZero();
		assertThat(status.lastError()).isNull();
		assertThat(status.nextPollAt()).isEqualTo(START.plus(POLL_INTERVAL));
		assertThat(this.configServer.paths()).containsExactly("/api/v1/config/all");
		assertThat(this.events).singleElement().satisfies((event) -> {
			assertThat(event.source()).isEqualTo(ConfigSource.SERVER);
			assertThat(event.previousVersion()).isNull();
			assertThat(event.version()).isEqualTo("v1");
			assertThat(event.skillChanges().added()).containsExactly("s1", "s2");
		});
		assertThat(cached().snapshot()).isEqualTo(sync.getSnapshot().orElseThrow());
	}

	@Test
	void serverDownAtStartLoadsTheCache() {
		Instant cachedAt = START.minus(Duration.ofHours(2));
		seedCache("v0", cachedAt);
		this.configServer.failWith(500);
		ConfigSync sync = start();
		assertThat(sync.getVersion()).isEqualTo("v0");
		assertThat(sync.getSkill("s1")).hasValueSatisfying((skill) -> assertThat(skill).containsEntry("version", "v0"));
		SyncStatus status = sync.getStatus();
		assertThat(status.source()).isEqualTo(ConfigSource.CACHE);
		assertThat(status.consecutiveFailures()).isEqualTo(1);
		assertThat(status.lastError()).contains("HTTP 500");
		assertThat(status.lastSuccessAt()).isEqualTo(cachedAt);
		assertThat(status.nextPollAt()).isEqualTo(START.plusSeconds(1));
		assertThat(this.events).singleElement().satisfies((event) -> {
			assertThat(event.source()).isEqualTo(ConfigSource.CACHE);
			assertThat(event.version()).isEqualTo("v0");
		});
	}

	@Test
	void unreachableServerAtStartLoadsTheCache() throws IOException {
		seedCache("v0", START);
		MockWebServer closed = new MockWebServer();
		closed.start();
		String url = closed.url("/").toString();
		closed.close();
		ConfigSync sync = newSync(url);
		sync.start();
		assertThat(sync.getVersion()).isEqualTo("v0");
		assertThat(sync.getStatus().source()).isEqualTo(ConfigSource.CACHE);
		assertThat(sync.getStatus().consecutiveFailures()).isEqualTo(1);
		assertThat(sync.getStatus().lastError()).isNotBlank();
	}

	@Test
	void corruptCacheDoesNotStopStartupWhenTheServerIsUp() throws IOException {
		Files.createDirectories(this.cacheFile.getParent());
		Files.writeString(this.cacheFile, "not a database\n".repeat(300));
		ConfigSync sync = start();
		assertThat(sync.getVersion()).isEqualTo("v1");
		assertThat(sync.getStatus().cacheError()).isNull();
		assertThat(cached().snapshot().version()).isEqualTo("v1");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void corruptCacheAndServerDownStartsWithNothingInForceAndSaysWhatBecameOfTheCache(CapturedOutput output)
			throws IOException {
		Files.createDirectories(this.cacheFile.getParent());
		Files.writeString(this.cacheFile, "not a database\n".repeat(300));
		this.configServer.failWith(503);
		ConfigSync sync = start();
		assertThat(sync.getSnapshot()).isEmpty();
		assertThat(sync.getStatus().source()).isEqualTo(ConfigSource.NONE);
		assertThat(sync.getStatus().cacheError()).contains("cannot be used: it is not a readable SQLite database",
				"Moved it to " + this.cacheFile + ".corrupt-");
		assertThat(output).contains("Starting with no AgentKit configuration in force: the server failed (",
				"HTTP 503", ") and the cache could not be used (The configuration cache " + this.cacheFile)
			.doesNotContain("the cache holds none");
		this.configServer.recover();
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
		assertThat(cached().snapshot().version()).isEqualTo("v1");
		assertThat(sync.getStatus().cacheError()).isNull();
	}

	@Test
	void failFastWithAnUnusableCacheSaysWhyTheCacheGaveNothing() throws IOException {
		this.settings = withFailFast(true);
		Files.createDirectories(this.cacheFile);
		this.configServer.failWith(500);
		assertThatExceptionOfType(ConfigSyncStartupException.class).isThrownBy(newSync()::start)
			.withMessageContaining("no AgentKit configuration is in force: the server failed (")
			.withMessageContaining("the cache could not be used (")
			.withMessageContaining(this.cacheFile + " is a folder, not a file");
	}

	@Test
	void failFastThrowsWhenNeitherServerNorCacheGivesAConfiguration() {
		this.settings = withFailFast(true);
		this.configServer.failWith(500);
		ConfigSync sync = newSync();
		assertThatExceptionOfType(ConfigSyncStartupException.class).isThrownBy(sync::start)
			.withMessageContaining("HTTP 500")
			.withMessageContaining("cache");
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.FAILED);
		assertThat(this.configServer.paths()).hasSize(1);
	}

	@Test
	void failFastStartsFromTheCacheWhenTheServerIsDown() {
		this.settings = withFailFast(true);
		seedCache("v0", START);
		this.configServer.failWith(500);
		ConfigSync sync = start();
		assertThat(sync.getVersion()).isEqualTo("v0");
	}

	@Test
	void withoutFailFastStartupSucceedsWithNothingInForceAndRetriesSoon() {
		this.configServer.failWith(500);
		ConfigSync sync = start();
		assertThat(sync.getSnapshot()).isEmpty();
		assertThat(sync.getVersion()).isNull();
		assertThat(sync.getSkills()).isEmpty();
		assertThat(sync.getSkill("s1")).isEmpty();
		assertThat(sync.getSkill("s1", SkillSettings.class)).isEmpty();
		assertThat(sync.getStatus().source()).isEqualTo(ConfigSource.NONE);
		assertThat(sync.getStatus().nextPollAt()).isEqualTo(START.plusSeconds(1));
		this.configServer.recover();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(sync.pollIfDue()).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> "v1".equals(sync.getVersion()));
	}

	@Test
	void startupTimeoutStartsFromTheCacheAndTheBackgroundPullReplacesIt() {
		this.settings = new ConfigSyncSettings(POLL_INTERVAL, 0, StartupMode.SERVER_FIRST, Duration.ofMillis(300),
				Duration.ofSeconds(5), false);
		seedCache("v0", START);
		this.configServer.hold();
		long begin = System.nanoTime();
		ConfigSync sync = start();
		// The start waited the startup timeout, and fell back while the server still held the pull.
		assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
		assertThat(this.configServer.waiting()).isEqualTo(1);
		assertThat(sync.getVersion()).isEqualTo("v0");
		assertThat(sync.getStatus().source()).isEqualTo(ConfigSource.CACHE);
		this.configServer.release();
		await().atMost(Duration.ofSeconds(10)).until(() -> "v1".equals(sync.getVersion()));
		assertThat(sync.getStatus().source()).isEqualTo(ConfigSource.SERVER);
		assertThat(cached().snapshot().version()).isEqualTo("v1");
		assertThat(this.events).extracting(ConfigChangedEvent::version).containsExactly("v0", "v1");
	}

	@Test
	void theCacheGetsReadyWhileTheFirstPullIsUnderWay() {
		// The server answers only once the cache is getting ready: were that done after waiting for the
		// first pull, startup would wait out its timeout and start with nothing.
		this.configServer.hold();
		AtomicBoolean pullUnderWayWhenPrepared = new AtomicBoolean();
		this.cacheRepository = new SqliteConfigCacheRepository(this.cacheFile, this.reader, this.clock, 5000) {

			@Override
			public void prepare() {
				super.prepare();
				await().atMost(Duration.ofSeconds(5)).until(() -> ConfigSyncTests.this.configServer.waiting() == 1);
				pullUnderWayWhenPrepared.set(true);
				ConfigSyncTests.this.configServer.release();
			}

		};
		ConfigSync sync = start();
		assertThat(pullUnderWayWhenPrepared).isTrue();
		assertThat(sync.getVersion()).isEqualTo("v1");
		assertThat(sync.getStatus().source()).isEqualTo(ConfigSource.SERVER);
		assertThat(cached().snapshot().version()).isEqualTo("v1");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aStartFromTheCacheSaysHowOldTheCachedConfigurationIs(CapturedOutput output) {
		Instant cachedAt = START.minus(Duration.ofDays(32)).minus(Duration.ofHours(5));
		seedCache("v0", cachedAt);
		this.configServer.failWith(503);
		ConfigSync sync = start();
		assertThat(sync.getVersion()).isEqualTo("v0");
		assertThat(output).contains("Loaded configuration version v0 from the cache (2 skills, 1 workflow, cached at "
				+ cachedAt + ", 32 days ago)");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aCacheWrittenLaterThanNowHasNoKnownAgeAndIsStaleUntilTheServerConfirms(CapturedOutput output) {
		Instant cachedAt = START.plus(Duration.ofDays(2));
		seedCache("v0", cachedAt);
		this.configServer.failWith(503);
		ConfigSync sync = start();
		assertThat(sync.getVersion()).isEqualTo("v0");
		assertThat(sync.getStatus().age(START)).isNull();
		SyncReport report = SyncReport.of(sync, Duration.ofHours(1), this.clock);
		assertThat(report.lastSuccessAt()).isEqualTo(cachedAt);
		assertThat(report.ageSeconds()).isNull();
		assertThat(report.stale()).isTrue();
		assertThat(output).contains("The configuration cache says it was written at " + cachedAt + ", later than now ("
				+ START + "): the clock of this machine, or of the one that wrote the cache, is wrong");
		this.configServer.recover();
		assertThat(sync.syncNow(true).outcome()).isEqualTo(SyncOutcome.UPDATED);
		report = SyncReport.of(sync, Duration.ofHours(1), this.clock);
		assertThat(report.ageSeconds()).isZero();
		assertThat(report.stale()).isFalse();
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void runningOutOfHeapInAPullKeepsTheConfigurationSaysWhatToDoAndRetriesLater(CapturedOutput output) {
		AtomicBoolean outOfHeap = new AtomicBoolean();
		this.clientWrapper = (client) -> pullingWith(client, () -> {
			if (outOfHeap.get()) {
				throw new OutOfMemoryError("Java heap space");
			}
			return client.fetchAll();
		});
		ConfigSync sync = start();
		outOfHeap.set(true);
		SyncResult result = sync.syncNow(true);
		assertThat(result.outcome()).isEqualTo(SyncOutcome.FAILED);
		assertThat(result.error()).startsWith("the JVM ran out of heap during the sync cycle (Java heap space)")
			.contains("give the JVM more heap (-Xmx) or lower agentkit.sync.max-payload-size");
		assertThat(sync.getVersion()).isEqualTo("v1");
		assertThat(sync.getStatus().lastError()).isEqualTo(result.error());
		assertThat(sync.getStatus().nextPollAt()).isEqualTo(this.clock.instant().plus(ConfigSync.AFTER_UNEXPECTED_FAILURE));
		assertThat(output).doesNotContain("OutOfMemoryError").doesNotContain("\tat ");
		outOfHeap.set(false);
		assertThat(sync.syncNow(true).outcome()).isEqualTo(SyncOutcome.UNCHANGED);
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aCacheThatDoesNotSayWhenItWasWrittenHasNoKnownAgeAndIsStale(CapturedOutput output) throws Exception {
		seedCache("v0", START.minus(Duration.ofDays(1)));
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + this.cacheFile);
				Statement statement = connection.createStatement()) {
			statement.executeUpdate("UPDATE config_cache SET updated_at = 'yesterday'");
		}
		this.configServer.failWith(503);
		ConfigSync sync = start();
		assertThat(sync.getVersion()).isEqualTo("v0");
		SyncReport report = SyncReport.of(sync, Duration.ofHours(1), this.clock);
		assertThat(report.lastSuccessAt()).isNull();
		assertThat(report.ageSeconds()).isNull();
		assertThat(report.stale()).isTrue();
		assertThat(output).contains("from the cache (2 skills, 1 workflow, cached at a time unknown)")
			.contains("The configuration cache does not say when it was written in a form this client reads");
	}

	@Test
	void aConfirmationLessThanAMinuteLaterThanNowIsTakenForNow() {
		SyncStatus status = SyncStatus.INITIAL.withSuccess(ConfigSource.SERVER, START.plusSeconds(30));
		assertThat(status.age(START)).isZero();
		assertThat(status.withSuccess(ConfigSource.SERVER, START.plusSeconds(90)).age(START)).isNull();
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aLastingFailureIsSaidInFullOnceAndItsRepeatsOnlySayItLasts(CapturedOutput output) {
		ConfigSync sync = start();
		this.configServer.failWith(503);
		for (int i = 0; i < 3; i++) {
			assertThat(sync.syncNow(true).outcome()).isEqualTo(SyncOutcome.FAILED);
		}
		this.configServer.failWith(500);
		assertThat(sync.syncNow(true).outcome()).isEqualTo(SyncOutcome.FAILED);
		assertThat(occurrences(output, "Sync failed: GET")).isEqualTo(2);
		assertThat(output).contains("failed: HTTP 503; keeping version v1 in force, retrying in ")
			.contains("Sync still fails with the same error (2 failed cycles in a row); keeping version v1 in force, "
					+ "retrying in ")
			.contains("Sync still fails with the same error (3 failed cycles in a row)")
			.contains("failed: HTTP 500; keeping version v1 in force");
		assertThat(occurrences(output, "Sync still fails")).isEqualTo(2);
	}

	@Test
	void aCacheThatFailsToGetReadyDoesNotStopTheStartup() {
		seedCache("v0", START);
		this.configServer.failWith(503);
		this.cacheRepository = new SqliteConfigCacheRepository(this.cacheFile, this.reader, this.clock, 5000) {

			@Override
			public void prepare() {
				throw new IllegalStateException("no driver today");
			}

		};
		ConfigSync sync = start();
		assertThat(sync.getVersion()).isEqualTo("v0");
		assertThat(sync.getStatus().source()).isEqualTo(ConfigSource.CACHE);
	}

	@Test
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void cacheFirstPutsTheCacheInForceAtOnceAndTheBackgroundPullRefreshesIt() {
		// Startup and request timeouts longer than the server holds the pull (20 s): a start that waited
		// for the pull would find v1 in force, not the cache's v0.
		this.clientTimeout = Duration.ofSeconds(30);
		this.settings = new ConfigSyncSettings(POLL_INTERVAL, 0, StartupMode.CACHE_FIRST, Duration.ofSeconds(40),
				Duration.ofSeconds(5), false);
		seedCache("v0", START);
		this.configServer.hold();
		ConfigSync sync = start();
		assertThat(sync.getVersion()).isEqualTo("v0");
		assertThat(sync.getStatus().source()).isEqualTo(ConfigSource.CACHE);
		this.configServer.release();
		await().atMost(Duration.ofSeconds(10)).until(() -> "v1".equals(sync.getVersion()));
		assertThat(sync.getStatus().source()).isEqualTo(ConfigSource.SERVER);
		assertThat(cached().snapshot().version()).isEqualTo("v1");
	}

	@Test
	void cacheFirstWithoutACacheWaitsForTheServer() {
		this.settings = new ConfigSyncSettings(POLL_INTERVAL, 0, StartupMode.CACHE_FIRST, Duration.ofSeconds(5),
				Duration.ofSeconds(5), false);
		ConfigSync sync = start();
		assertThat(sync.getVersion()).isEqualTo("v1");
		assertThat(sync.getStatus().source()).isEqualTo(ConfigSource.SERVER);
	}

	@Test
	void cachedVersionConfirmedByTheServerIsNotPulledAgain() {
		this.settings = new ConfigSyncSettings(POLL_INTERVAL, 0, StartupMode.CACHE_FIRST, Duration.ofSeconds(5),
				Duration.ofSeconds(5), false);
		seedCache("v1", START.minusSeconds(60));
		ConfigSync sync = start();
		await().atMost(Duration.ofSeconds(10)).until(() -> sync.getStatus().source() == ConfigSource.SERVER);
		assertThat(this.configServer.paths()).containsExactly("/api/v1/config/version");
		assertThat(sync.getStatus().lastSuccessAt()).isEqualTo(START);
	}

	@Test
	void startTwiceDoesNothingTheSecondTime() {
		ConfigSync sync = start();
		sync.start();
		assertThat(this.configServer.paths()).hasSize(1);
	}

	// Sync cycles

	@Test
	void versionChangePullsTheWholeConfiguration() {
		ConfigSync sync = start();
		this.configServer.clear();
		this.configServer.serve("v2");
		this.clock.advance(Duration.ofMinutes(5));
		SyncResult result = sync.syncNow();
		assertThat(result.outcome()).isEqualTo(SyncOutcome.UPDATED);
		assertThat(result.version()).isEqualTo("v2");
		assertThat(result.error()).isNull();
		assertThat(this.configServer.paths()).containsExactly("/api/v1/config/version", "/api/v1/config/all");
		assertThat(sync.getVersion()).isEqualTo("v2");
		assertThat(sync.getStatus().lastSuccessAt()).isEqualTo(this.clock.instant());
		ConfigDocument cached = cached();
		assertThat(cached.snapshot().version()).isEqualTo("v2");
		assertThat(cached.cachedAt()).isEqualTo(this.clock.instant());
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void versionEndpointThatDisagreesWithTheConfigurationIsNamedAndTheConfigurationWins(CapturedOutput output) {
		ConfigSync sync = start();
		this.configServer.clear();
		// A stale node or cache behind /all: the version endpoint already says v2.
		this.configServer.versionBody("{\"version\": \"v2\"}");
		this.clock.advance(Duration.ofMinutes(5));
		SyncResult result = sync.syncNow();
		assertThat(result.outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(result.error()).isNull();
		assertThat(this.configServer.paths()).containsExactly("/api/v1/config/version", "/api/v1/config/all");
		assertThat(sync.getVersion()).isEqualTo("v1");
		assertThat(output).contains("The server's version endpoint says v2 but its configuration is version v1; "
				+ "putting v1 in force");
		// While they go on disagreeing each poll pulls again, and the log says so once.
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(this.configServer.paths()).hasSize(4).endsWith("/api/v1/config/all");
		assertThat(occurrences(output, "version endpoint says v2")).isEqualTo(1);
		assertThat(occurrences(output, "changed from v1 to v2")).isEqualTo(1);
		assertThat(occurrences(output, "version v1 confirmed")).isEqualTo(1);
		this.configServer.serve("v2");
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
		assertThat(sync.getVersion()).isEqualTo("v2");
		assertThat(cached().snapshot().version()).isEqualTo("v2");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void repeatedSkillNamesAndWorkflowIdsAreWarnedAboutAtEveryPullAndTheFirstOneIsLookedUp(CapturedOutput output) {
		ConfigSync sync = start();
		this.configServer.versionBody("{\"version\": \"v2\"}");
		this.configServer.allBody("{\"version\": \"v2\", \"skills\": [{\"name\": \"a\", \"n\": 1}, {\"name\": \"b\"}, "
				+ "{\"name\": \"a\", \"n\": 3}], \"workflows\": [{\"workflow_id\": \"w\"}, {\"workflow_id\": \"w\"}]}");
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
		assertThat(sync.getSkills()).hasSize(3);
		assertThat(sync.getSnapshot().orElseThrow().skillNames()).containsExactly("a", "b");
		assertThat(sync.getSkill("a").orElseThrow()).containsEntry("n", 1);
		assertThat(output).contains("WARN")
			.contains("The configuration repeats name 'a' in skills[2]; lookups return the first one")
			.contains("The configuration repeats workflow_id 'w' in workflows[1]; lookups return the first one");
		assertThat(warnings(output)).isEqualTo(2);
		assertThat(sync.syncNow(true).outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(warnings(output)).isEqualTo(4);
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aVersionThatEmptiesTheSkillsOrWorkflowsIsPutInForceWithAWarning(CapturedOutput output) {
		ConfigSync sync = start();
		this.configServer.versionBody("{\"version\": \"v2\"}");
		this.configServer.allBody("{\"version\": \"v2\", \"workflows\": [{\"workflow_id\": \"w1\"}]}");
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
		assertThat(sync.getSkills()).isEmpty();
		assertThat(cached().snapshot().skills()).isEmpty();
		assertThat(output).contains("Configuration version v2 has no skills, where version v1 had 2: the application "
				+ "now has none").doesNotContain("has no workflows");
		assertThat(warnings(output)).isEqualTo(1);
		this.configServer.versionBody("{\"version\": \"v3\"}");
		this.configServer.allBody("{\"version\": \"v3\", \"skills\": [], \"workflows\": []}");
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
		assertThat(output).contains("Configuration version v3 has no workflows, where version v2 had 1");
		assertThat(warnings(output)).isEqualTo(2);
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void configurationGoingBackAndForthBetweenTwoVersionsIsWarnedOfOnce(CapturedOutput output) {
		ConfigSync sync = start();
		for (String version : List.of("v2", "v1", "v2", "v1")) {
			this.configServer.serve(version);
			assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
		}
		assertThat(occurrences(output, "went back from version")).isEqualTo(1);
		assertThat(output).contains("The server's configuration went back from version v2 to version v1, which v2 "
				+ "had replaced. Unless v2 was rolled back, several servers answer at the server URL");
		this.configServer.serve("v3");
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
		this.configServer.serve("v4");
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
		assertThat(occurrences(output, "went back from version")).as("moving on").isEqualTo(1);
		this.configServer.serve("v3");
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
		assertThat(occurrences(output, "went back from version")).as("another two versions").isEqualTo(2);
		for (String version : List.of("v2", "v3", "v4", "v3", "v2", "v3")) {
			this.configServer.serve(version);
			assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
		}
		assertThat(occurrences(output, "went back from version")).as("three versions, two pairs said before")
			.isEqualTo(3);
	}

	private static long occurrences(CapturedOutput output, String text) {
		return output.toString().lines().filter((line) -> line.contains(text)).count();
	}

	private static long warnings(CapturedOutput output) {
		return output.toString().lines().filter((line) -> line.contains(" WARN ")).count();
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void versionThatWouldForgeLogLinesIsLoggedOnOneLineAndCutButKeptWhole(CapturedOutput output) {
		ConfigSync sync = start();
		String forged = "v2\n2026-12-02T00:00:00Z ERROR [main] forged line \u001b[31m";
		String version = forged + "x".repeat(5000);
		String versionJson = "\"v2\\n2026-12-02T00:00:00Z ERROR [main] forged line \\u001b[31m" + "x".repeat(5000) + "\"";
		this.configServer.versionBody("{\"version\": " + versionJson + "}");
		this.configServer.allBody("{\"version\": " + versionJson + ", \"skills\": [], \"workflows\": []}");
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
		assertThat(sync.getVersion()).isEqualTo(version);
		assertThat(cached().snapshot().version()).isEqualTo(version);
		assertThat(output).contains("Configuration version v2\\n2026-12-02T00:00:00Z ERROR [main] forged line "
				+ "\\u001b[31m")
			.contains("(" + version.length() + " characters) is in force")
			.doesNotContain("\n2026-12-02T00:00:00Z ERROR")
			.doesNotContain("\u001b")
			.doesNotContain("x".repeat(LogText.MAX_LENGTH));
	}

	@Test
	void errorQuotingTheServersAnswerIsShownOnOneLineWithoutItsControlCharacters() {
		ConfigSync sync = start();
		this.configServer.failWith(new MockResponse.Builder().status("SSH-2.0\u001b[2J\u001b[31m-OpenSSH_9.2").build());
		this.clock.advance(Duration.ofMinutes(5));
		SyncResult result = sync.syncNow();
		assertThat(result.outcome()).isEqualTo(SyncOutcome.FAILED);
		assertThat(result.error()).contains("cannot be read as HTTP", "SSH-2.0\\u001b[2J\\u001b[31")
			.doesNotContain("\u001b");
		assertThat(sync.getStatus().lastError()).isEqualTo(result.error());
		assertThat(sync.getVersion()).isEqualTo("v1");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void syncThatWorksAgainAfterFailuresIsSaidOnce(CapturedOutput output) {
		ConfigSync sync = start();
		this.configServer.failWith(503);
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.FAILED);
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.FAILED);
		this.configServer.recover();
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(output.getOut().split("Sync works again", -1)).hasSize(2);
		assertThat(output).contains("Sync works again, after 2 failed cycles");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void startSaysWhereTheConfigurationComesFromAndWhereItIsCached(CapturedOutput output) {
		start();
		assertThat(output).contains("Syncing the AgentKit configuration from WebClientConfigServerClient["
				+ this.server.url("/").toString().replaceAll("/$", "") + "] into SqliteConfigCacheRepository["
				+ this.cacheFile + "], checking every ");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void startSaysAPollIntervalUnderASecondInMilliseconds(CapturedOutput output) {
		this.settings = new ConfigSyncSettings(Duration.ofMillis(5), 0, StartupMode.SERVER_FIRST, Duration.ofSeconds(5),
				Duration.ofSeconds(5), false);
		start();
		assertThat(output).contains("], checking every 5 ms");
	}

	@Test
	void unchangedVersionMakesExactlyOneRequest() {
		ConfigSync sync = start();
		ConfigSnapshot before = sync.getSnapshot().orElseThrow();
		this.configServer.clear();
		this.clock.advance(Duration.ofMinutes(5));
		SyncResult result = sync.syncNow();
		assertThat(result.outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(this.configServer.paths()).containsExactly("/api/v1/config/version");
		assertThat(sync.getSnapshot()).containsSame(before);
		assertThat(sync.getStatus().lastSuccessAt()).isEqualTo(this.clock.instant());
		assertThat(cached().cachedAt()).isEqualTo(START);
		assertThat(this.events).hasSize(1);
	}

	@Test
	void forcedSyncPullsWhateverTheVersionSays() {
		ConfigSync sync = start();
		this.configServer.clear();
		SyncResult result = sync.syncNow(true);
		assertThat(result.outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(this.configServer.paths()).containsExactly("/api/v1/config/all");
		assertThat(this.events).hasSize(1);
	}

	@Test
	void forcedSyncOfTheSameVersionWithOtherContentPutsTheContentInForce() {
		ConfigSync sync = start();
		this.configServer.allBody("{\"version\": \"v1\", \"skills\": [{\"name\": \"s1\", \"limit\": 2}]}");
		SyncResult result = sync.syncNow(true);
		assertThat(result.outcome()).isEqualTo(SyncOutcome.UPDATED);
		assertThat(sync.getSkill("s1")).hasValueSatisfying((skill) -> assertThat(skill).containsEntry("limit", 2));
		assertThat(this.events).hasSize(2);
	}

	static Stream<Arguments> invalidAllBodies() {
		return Stream.of(arguments("not JSON", "<html>oops</html>", "not valid JSON"),
				arguments("array", "[{\"version\": \"v2\"}]", "not a JSON object"),
				arguments("no version", "{\"skills\": []}", "'version' is missing"),
				arguments("numeric version", "{\"version\": 2}", "'version' is a number"),
				arguments("skills not a list", "{\"version\": \"v2\", \"skills\": {}}", "'skills' is an object"),
				arguments("skill not an object", "{\"version\": \"v2\", \"skills\": [1]}", "skills[0] is a number"),
				arguments("skill without name", "{\"version\": \"v2\", \"skills\": [{\"id\": \"s\"}]}",
						"skills[0] has no 'name'"),
				arguments("workflow without id", "{\"version\": \"v2\", \"workflows\": [{\"name\": \"w\"}]}",
						"workflows[0] has no 'workflow_id'"),
				arguments("number no decimal holds",
						"{\"version\": \"v2\", \"skills\": [{\"name\": \"s\", \"limit\": 1e99999999999}]}",
						"the number 1e99999999999 (near byte 52) is too large or too small"),
				arguments("trailing garbage", "{\"version\": \"v2\"} {}", "after the end of the document"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidAllBodies")
	void invalidBodyKeepsTheLastGoodConfigurationInMemoryAndOnDisk(String description, String body, String error) {
		ConfigSync sync = start();
		ConfigSnapshot before = sync.getSnapshot().orElseThrow();
		this.configServer.serve("v2");
		this.configServer.allBody(body);
		this.clock.advance(Duration.ofMinutes(5));
		SyncResult result = sync.syncNow();
		assertThat(result.outcome()).isEqualTo(SyncOutcome.FAILED);
		assertThat(result.error()).contains(error);
		assertThat(result.version()).isEqualTo("v1");
		assertThat(sync.getSnapshot()).containsSame(before);
		SyncStatus status = sync.getStatus();
		assertThat(status.source()).isEqualTo(ConfigSource.SERVER);
		assertThat(status.lastError()).contains("/api/v1/config/all", error);
		assertThat(status.consecutiveFailures()).isEqualTo(1);
		assertThat(status.lastSuccessAt()).isEqualTo(START);
		ConfigDocument cached = cached();
		assertThat(cached.snapshot()).isEqualTo(before);
		assertThat(cached.cachedAt()).isEqualTo(START);
		assertThat(this.events).hasSize(1);
	}

	@Test
	void pullWritesTheCacheWhileValidatingAndCommitsTheValidDocumentOnce() {
		RecordingCacheRepository cache = recordingCacheOfV0();
		ConfigSync sync = start();
		assertThat(cache.aheadCommits).hasValue(1);
		assertThat(cache.saves).hasValue(0);
		assertThat(cached().snapshot()).isEqualTo(sync.getSnapshot().orElseThrow());
		this.configServer.serve("v2");
		this.configServer.allBody("{\"version\": \"v2\", \"skills\": [{\"id\": \"s\"}]}");
		assertThat(sync.syncNow(true).outcome()).isEqualTo(SyncOutcome.FAILED);
		// Written, found invalid, rolled back (the writer is not waited for): the cache holds v1.
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cache.aheadEnded).hasValue(2));
		assertThat(cache.aheadCommits).hasValue(1);
		assertThat(cache.saves).hasValue(0);
		assertThat(cached().snapshot().version()).isEqualTo("v1");
	}

	@Test
	void cacheWriteAheadThatFailsIsSavedTheOrdinaryWay() {
		RecordingCacheRepository cache = recordingCacheOfV0();
		cache.failAhead = true;
		ConfigSync sync = start();
		assertThat(cache.aheadWrites).hasValue(1);
		assertThat(cache.saves).hasValue(1);
		assertThat(sync.getStatus().cacheError()).isNull();
		assertThat(cached().snapshot()).isEqualTo(sync.getSnapshot().orElseThrow());
	}

	@Test
	void invalidFirstPullWithoutACacheCreatesNoFile() {
		this.configServer.allBody("{\"version\": \"v1\", \"skills\": [{\"id\": \"s\"}]}");
		ConfigSync sync = start();
		assertThat(sync.getSnapshot()).isEmpty();
		assertThat(this.cacheFile).doesNotExist();
		this.configServer.serve("v1");
		assertThat(sync.syncNow(true).outcome()).isEqualTo(SyncOutcome.UPDATED);
		assertThat(cached().snapshot().version()).isEqualTo("v1");
	}

	@Test
	void clientThatDoesNotHandOverTheBodyIsSavedTheOrdinaryWay() {
		RecordingCacheRepository cache = recordingCacheOfV0();
		this.clientWrapper = (client) -> pullingWith(client, client::fetchAll);
		ConfigSync sync = start();
		assertThat(cache.aheadWrites).hasValue(0);
		assertThat(cache.saves).hasValue(1);
		assertThat(cached().snapshot()).isEqualTo(sync.getSnapshot().orElseThrow());
	}

	@Test
	void invalidVersionBodyChangesNothing() {
		ConfigSync sync = start();
		ConfigSnapshot before = sync.getSnapshot().orElseThrow();
		this.configServer.versionBody("{\"version\": null}");
		SyncResult result = sync.syncNow();
		assertThat(result.outcome()).isEqualTo(SyncOutcome.FAILED);
		assertThat(sync.getSnapshot()).containsSame(before);
		assertThat(sync.getStatus().lastError()).contains("/api/v1/config/version", "'version' is null");
		assertThat(sync.getStatus().consecutiveFailures()).isEqualTo(1);
	}

	@Test
	void serverErrorIsReportedAndCounted() {
		ConfigSync sync = start();
		ConfigSnapshot before = sync.getSnapshot().orElseThrow();
		this.configServer.failWith(500);
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.FAILED);
		assertThat(sync.syncNow().error()).contains("HTTP 500");
		assertThat(sync.getStatus().consecutiveFailures()).isEqualTo(2);
		assertThat(sync.getStatus().lastError()).contains("HTTP 500");
		assertThat(sync.getSnapshot()).containsSame(before);
		this.configServer.recover();
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(sync.getStatus().consecutiveFailures()).isZero();
		assertThat(sync.getStatus().lastError()).isNull();
	}

	@Test
	void unauthorizedIsReported() {
		ConfigSync sync = start();
		this.configServer.failWith(401);
		SyncResult result = sync.syncNow();
		assertThat(result.outcome()).isEqualTo(SyncOutcome.FAILED);
		assertThat(sync.getStatus().lastError()).contains("401");
		assertThat(sync.getVersion()).isEqualTo("v1");
	}

	@Test
	void timeoutIsReportedAndKeepsTheConfiguration() {
		this.clientTimeout = Duration.ofMillis(300);
		ConfigSync sync = start();
		// Headers 3 s late: a timeout that did not fire would let the poll end UNCHANGED.
		this.configServer.delayHeaders(Duration.ofSeconds(3));
		SyncResult result = sync.syncNow();
		assertThat(result.outcome()).isEqualTo(SyncOutcome.FAILED);
		assertThat(sync.getStatus().lastError()).contains("timed out");
		assertThat(sync.getVersion()).isEqualTo("v1");
	}

	@Test
	void cacheWriteFailureKeepsTheServersConfigurationAndIsRetriedAtTheNextCycle() throws IOException {
		Files.writeString(this.tempDir.resolve("agentkit"), "a file where the cache folder should be");
		ConfigSync sync = start();
		assertThat(sync.getVersion()).isEqualTo("v1");
		assertThat(sync.getStatus().source()).isEqualTo(ConfigSource.SERVER);
		assertThat(sync.getStatus().cacheError()).contains(this.cacheFile.toString());
		Files.delete(this.tempDir.resolve("agentkit"));
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(sync.getStatus().cacheError()).isNull();
		assertThat(cached().snapshot().version()).isEqualTo("v1");
	}

	@Test
	void cacheFileDeletedWhileRunningIsWrittenAgainAtTheNextPoll() throws IOException {
		ConfigSync sync = start();
		Files.delete(this.cacheFile);
		this.configServer.clear();
		SyncResult result = sync.syncNow();
		assertThat(result.outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(this.configServer.paths()).containsExactly("/api/v1/config/version", "/api/v1/config/all");
		assertThat(cached().snapshot().version()).isEqualTo("v1");
		assertThat(this.events).hasSize(1);
		this.configServer.clear();
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(this.configServer.paths()).containsExactly("/api/v1/config/version");
	}

	@Test
	void cacheFileOverwrittenWhileRunningIsSetAsideAndWrittenAgainAtTheNextPoll() throws IOException {
		ConfigSync sync = start();
		Files.write(this.cacheFile, new byte[300_000]);
		this.configServer.clear();
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(this.configServer.paths()).containsExactly("/api/v1/config/version", "/api/v1/config/all");
		assertThat(cached().snapshot().version()).isEqualTo("v1");
		assertThat(sync.getStatus().cacheError()).isNull();
		this.configServer.clear();
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(this.configServer.paths()).containsExactly("/api/v1/config/version");
	}

	@Test
	void cacheFileWrittenByAnotherClientWhileRunningIsLeftToIt() {
		ConfigSync sync = start();
		this.clock.advance(Duration.ofMinutes(1));
		cache().save(this.reader.readAll(ConfigServer.body("v7").getBytes(StandardCharsets.UTF_8)));
		this.configServer.clear();
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(this.configServer.paths()).containsExactly("/api/v1/config/version");
		assertThat(cached().snapshot().version()).isEqualTo("v7");
	}

	@Test
	void cacheThatCannotBeWrittenIsRetriedWithoutPullingAgainAtEveryPoll() throws IOException {
		Files.writeString(this.tempDir.resolve("agentkit"), "a file where the cache folder should be");
		ConfigSync sync = start();
		this.configServer.clear();
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(this.configServer.paths()).containsExactly("/api/v1/config/version");
		assertThat(sync.getStatus().cacheError()).contains(this.cacheFile.toString());
	}

	// Schedule

	@Test
	void backOffAfterFailuresDoublesFromOneSecondUpToThePollInterval() {
		this.settings = new ConfigSyncSettings(Duration.ofSeconds(10), 0, StartupMode.SERVER_FIRST,
				Duration.ofSeconds(5), Duration.ofSeconds(5), false);
		ConfigSync sync = start();
		assertThat(sync.getStatus().nextPollAt()).isEqualTo(START.plusSeconds(10));
		this.configServer.failWith(500);
		List<Duration> delays = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			this.clock.advance(Duration.ofMillis(1500));
			sync.syncNow();
			delays.add(Duration.between(this.clock.instant(), sync.getStatus().nextPollAt()));
		}
		assertThat(delays).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
				Duration.ofSeconds(8), Duration.ofSeconds(10), Duration.ofSeconds(10));
		assertThat(sync.getStatus().consecutiveFailures()).isEqualTo(6);
		this.configServer.recover();
		sync.syncNow();
		assertThat(sync.getStatus().nextPollAt()).isEqualTo(this.clock.instant().plusSeconds(10));
		assertThat(sync.getStatus().consecutiveFailures()).isZero();
	}

	@Test
	void pollIfDueWaitsForTheNextPollTime() {
		ConfigSync sync = start();
		this.configServer.clear();
		assertThat(sync.pollIfDue()).isFalse();
		this.clock.advance(POLL_INTERVAL.minusMillis(1));
		assertThat(sync.pollIfDue()).isFalse();
		assertThat(this.configServer.paths()).isEmpty();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(sync.pollIfDue()).isTrue();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> START.plus(POLL_INTERVAL).plus(POLL_INTERVAL).equals(sync.getStatus().nextPollAt()));
		assertThat(this.configServer.paths()).containsExactly("/api/v1/config/version");
	}

	@Test
	void pollIfDueAfterAFailureWaitsForTheBackOff() {
		ConfigSync sync = start();
		this.configServer.failWith(500);
		sync.syncNow();
		this.configServer.clear();
		assertThat(sync.pollIfDue()).isFalse();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(sync.pollIfDue()).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> sync.getStatus().consecutiveFailures() == 2);
		assertThat(this.configServer.paths()).containsExactly("/api/v1/config/version");
	}

	@Test
	void jitterVariesTheDelayByTheRandomFraction() {
		this.settings = new ConfigSyncSettings(Duration.ofSeconds(100), 0.2, StartupMode.SERVER_FIRST,
				Duration.ofSeconds(5), Duration.ofSeconds(5), false);
		this.random = PollScheduleTests.fixed(0.0);
		ConfigSync sync = start();
		assertThat(sync.getStatus().nextPollAt()).isEqualTo(START.plusSeconds(80));
		this.configServer.failWith(500);
		sync.syncNow();
		assertThat(sync.getStatus().nextPollAt()).isEqualTo(START.plusMillis(800));
	}

	@Test
	void jitterSpreadsDelaysWithinTheFraction() {
		this.settings = new ConfigSyncSettings(Duration.ofSeconds(100), 0.2, StartupMode.SERVER_FIRST,
				Duration.ofSeconds(5), Duration.ofSeconds(5), false);
		this.random = RandomGenerator.of("L64X128MixRandom");
		ConfigSync sync = start();
		List<Duration> delays = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			sync.syncNow();
			delays.add(Duration.between(this.clock.instant(), sync.getStatus().nextPollAt()));
		}
		assertThat(delays).allSatisfy(
				(delay) -> assertThat(delay).isBetween(Duration.ofSeconds(80), Duration.ofSeconds(120)));
		assertThat(delays.stream().distinct().count()).isGreaterThan(15);
		assertThat(delays.stream().anyMatch((delay) -> delay.compareTo(Duration.ofSeconds(95)) < 0)).isTrue();
		assertThat(delays.stream().anyMatch((delay) -> delay.compareTo(Duration.ofSeconds(105)) > 0)).isTrue();
	}

	@Test
	void retryAfterFromTheServerIsHonoured() {
		ConfigSync sync = start();
		this.configServer.failWith(new MockResponse.Builder().code(503).addHeader("Retry-After", "120").build());
		SyncResult result = sync.syncNow();
		assertThat(result.outcome()).isEqualTo(SyncOutcome.FAILED);
		assertThat(sync.getStatus().nextPollAt()).isEqualTo(START.plusSeconds(120));
		this.clock.advance(Duration.ofSeconds(119));
		assertThat(sync.pollIfDue()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "9223372036854775807", "86400", "Fri, 31 Dec 9999 23:59:59 GMT" })
	void retryAfterOfDaysOrMoreIsHonouredForAnHourAtMost(String retryAfter) {
		ConfigSync sync = start();
		this.configServer.failWith(new MockResponse.Builder().code(503).addHeader("Retry-After", retryAfter).build());
		SyncResult result = sync.syncNow();
		assertThat(result.outcome()).isEqualTo(SyncOutcome.FAILED);
		assertThat(sync.getStatus().nextPollAt()).isEqualTo(START.plus(PollSchedule.MAX_RETRY_AFTER));
		this.configServer.recover();
		this.clock.advance(PollSchedule.MAX_RETRY_AFTER.minusSeconds(1));
		assertThat(sync.pollIfDue()).isFalse();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(sync.pollIfDue()).isTrue();
		// Joins the cycle the poll started.
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(sync.getStatus().consecutiveFailures()).isZero();
	}

	@Test
	void cycleThatFailsOutsideItsOwnErrorHandlingStillEndsAndTheNextOneRuns() {
		AtomicBoolean broken = new AtomicBoolean();
		this.settings = new ConfigSyncSettings(POLL_INTERVAL, 0.1, StartupMode.SERVER_FIRST, Duration.ofSeconds(5),
				Duration.ofSeconds(5), false);
		this.random = new RandomGenerator() {

			@Override
			public long nextLong() {
				throw new UnsupportedOperationException();
			}

			@Override
			public double nextDouble() {
				if (broken.get()) {
					throw new IllegalStateException("broken random source");
				}
				return 0.5;
			}

		};
		ConfigSync sync = start();
		broken.set(true);
		this.clock.advance(Duration.ofMinutes(5));
		SyncResult result = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> sync.syncNow());
		assertThat(result.outcome()).isEqualTo(SyncOutcome.FAILED);
		assertThat(result.error()).contains("broken random source");
		assertThat(sync.getVersion()).isEqualTo("v1");
		assertThat(sync.getStatus().lastError()).contains("broken random source");
		// The poller does not start a cycle at every tick while the schedule is broken.
		assertThat(sync.getStatus().nextPollAt()).isEqualTo(this.clock.instant().plus(ConfigSync.AFTER_UNEXPECTED_FAILURE));
		assertThat(sync.pollIfDue()).isFalse();
		broken.set(false);
		assertThat(assertTimeoutPreemptively(Duration.ofSeconds(30), () -> sync.syncNow()).outcome())
			.isEqualTo(SyncOutcome.UNCHANGED);
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void cycleStuckInATokenProviderIsReportedOnceWithWhereItWaits(CapturedOutput output) {
		BlockingTokenProvider tokens = new BlockingTokenProvider();
		this.tokenProvider = tokens;
		ConfigSync sync = start();
		tokens.block();
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(sync.pollIfDue()).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(tokens::isBlocking);
		this.clock.advance(ConfigSync.STUCK_CYCLE.minusSeconds(1));
		assertThat(sync.pollIfDue()).isFalse();
		assertThat(output).doesNotContain("has not ended");
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(sync.pollIfDue()).isFalse();
		assertThat(sync.pollIfDue()).isFalse();
		assertThat(output).containsOnlyOnce("The sync cycle that started 600 s ago has not ended")
			.contains("ConfigSyncTests$BlockingTokenProvider.getToken");
		tokens.release();
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(sync.getVersion()).isEqualTo("v1");
	}

	@Test
	void syncNowWithABoundAnswersFailedWhenTheCycleOutlivesItAndTheCycleGoesOn() {
		BlockingTokenProvider tokens = new BlockingTokenProvider();
		this.tokenProvider = tokens;
		ConfigSync sync = start();
		tokens.block();
		SyncResult result = sync.syncNow(true, Duration.ofMillis(300));
		assertThat(result.outcome()).isEqualTo(SyncOutcome.FAILED);
		assertThat(result.error()).contains("did not end within 300 ms", "goes on in the background");
		assertThat(result.version()).isEqualTo("v1");
		assertThat(tokens.isBlocking()).isTrue();
		tokens.release();
		assertThat(sync.syncNow(false, Duration.ofSeconds(10)).outcome()).isIn(SyncOutcome.UPDATED,
				SyncOutcome.UNCHANGED);
		assertThat(sync.getStatus().consecutiveFailures()).isZero();
	}

	@Test
	void forcedSyncDuringACheckThatMayNotPullRunsAForcedCycleAfterIt() throws Exception {
		BlockingTokenProvider tokens = new BlockingTokenProvider();
		this.tokenProvider = tokens;
		ConfigSync sync = start();
		this.configServer.clear();
		tokens.block();
		this.clock.advance(POLL_INTERVAL);
		assertThat(sync.pollIfDue()).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(tokens::isBlocking);
		// Both calls are made while the check is held, and give up waiting before it ends.
		assertThat(sync.syncNow(true, Duration.ofMillis(100)).outcome()).isEqualTo(SyncOutcome.FAILED);
		assertThat(sync.syncNow(true, Duration.ofMillis(100)).outcome()).isEqualTo(SyncOutcome.FAILED);
		tokens.release();
		// Joins the forced cycle if it is still running, or checks once more.
		assertThat(sync.syncNow(false, Duration.ofSeconds(10)).outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(this.configServer.paths()).as("the check, then one forced pull shared by both")
			.startsWith("/api/v1/config/version", "/api/v1/config/all")
			.containsOnlyOnce("/api/v1/config/all");
	}

	@Test
	void scheduleOfTheApplicationWithDelaysLongerThanThePollIntervalIsFollowed() {
		// Polls every 2 hours (say, at night) though the interval is 5 minutes.
		this.pollSchedule = new PollSchedule(POLL_INTERVAL, 0, this.random) {

			@Override
			public Duration afterSuccess() {
				return Duration.ofHours(2);
			}

		};
		ConfigSync sync = start();
		assertThat(sync.pollIfDue()).isFalse();
		this.clock.advance(Duration.ofHours(2).minusSeconds(1));
		assertThat(sync.pollIfDue()).isFalse();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(sync.pollIfDue()).isTrue();
	}

	@Test
	void systemClockGoingBackDoesNotPostponeTheNextCheck() {
		ConfigSync sync = start();
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(sync.pollIfDue()).isFalse();
		// A virtual machine restored from yesterday's snapshot.
		this.clock.advance(Duration.ofDays(-1));
		assertThat(sync.pollIfDue()).isTrue();
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(sync.getStatus().nextPollAt()).isEqualTo(this.clock.instant().plus(POLL_INTERVAL));
		assertThat(sync.pollIfDue()).isFalse();
	}

	// Stop

	@Test
	void stopCancelsAPullInFlightAndNothingIsWrittenAfterwards() throws Exception {
		ConfigSync sync = start();
		this.configServer.serve("v2");
		this.configServer.hold("/api/v1/config/all");
		ExecutorService caller = Executors.newSingleThreadExecutor();
		try {
			Future<SyncResult> cycle = caller.submit(() -> sync.syncNow());
			await().atMost(Duration.ofSeconds(10)).until(() -> this.configServer.waiting() == 1);
			sync.stop();
			// The cycle has ended while the server still holds the answer: the pull was cancelled.
			assertThat(cycle.get(5, TimeUnit.SECONDS).outcome()).isEqualTo(SyncOutcome.FAILED);
			assertThat(this.configServer.waiting()).isEqualTo(1);
		}
		finally {
			caller.shutdownNow();
		}
		this.configServer.release();
		assertThat(sync.getVersion()).isEqualTo("v1");
		ConfigDocument cached = cached();
		assertThat(cached.snapshot().version()).isEqualTo("v1");
		assertThat(cached.cachedAt()).isEqualTo(START);
		assertThat(sync.getStatus().nextPollAt()).isNull();
		assertThat(sync.getStatus().consecutiveFailures()).isZero();
		this.configServer.clear();
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.FAILED);
		assertThat(sync.pollIfDue()).isFalse();
		assertThat(this.configServer.paths()).isEmpty();
		assertThat(this.events).hasSize(1);
	}

	@Test
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void aCacheWriteAheadThatDoesNotEndHoldsBackNoVersionAndTheCacheCatchesUp() {
		newVersionsComeIntoForceWhileACacheWriteDoesNotEnd(true);
	}

	@Test
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void aCacheSaveThatDoesNotEndHoldsBackNoVersionAndTheCacheCatchesUp() {
		newVersionsComeIntoForceWhileACacheWriteDoesNotEnd(false);
	}

	private void newVersionsComeIntoForceWhileACacheWriteDoesNotEnd(boolean writesAhead) {
		HangingCacheRepository cache = hangingCache(Duration.ofSeconds(5), Duration.ofMillis(500), writesAhead);
		ConfigSync sync = startAndPullV2WhileTheCacheHangs(cache);
		long cyclesBefore;
		try {
			// A later pull puts its version in force without queueing a write behind the one that does not end.
			this.configServer.serve("v3");
			assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
			assertThat(sync.getVersion()).isEqualTo("v3");
			assertThat(sync.getStatus().cacheError()).isEqualTo(notStartedError());
			// An unchanged poll neither waits for the write nor starts another beside it.
			assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
			assertThat(cache.hungCalls()).isEqualTo(1);
			assertThat(cached().snapshot().version()).isEqualTo("v1");
			cyclesBefore = cyclesRun(sync);
		}
		finally {
			cache.release();
		}
		// Once the disk answers, the write that had not ended ends, and what is in force is saved with no cycle run.
		awaitWrittenAfterAll(sync, cache, "v3");
		assertThat(sync.getVersion()).isEqualTo("v3");
		assertThat(cyclesRun(sync)).isEqualTo(cyclesBefore);
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void aCacheWriteAheadThatEndsAfterItsWaitIsNoLongerSaidAsItEnds(CapturedOutput output) {
		writeThatEndsAfterItsWait(true, output);
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void aCacheSaveThatEndsAfterItsWaitIsNoLongerSaidAsItEnds(CapturedOutput output) {
		writeThatEndsAfterItsWait(false, output);
	}

	private void writeThatEndsAfterItsWait(boolean writesAhead, CapturedOutput output) {
		HangingCacheRepository cache = hangingCache(Duration.ofSeconds(5), Duration.ofMillis(500), writesAhead);
		ConfigSync sync = startAndPullV2WhileTheCacheHangs(cache);
		cache.release();
		// No cycle runs: the write that goes on puts v2 in the cache, and the error goes as it does.
		awaitWrittenAfterAll(sync, cache, "v2");
		assertThat(output).contains("The configuration cache write has ended after all: version v2 is in the cache");
		// The document is saved: the next poll does not write it again.
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(cache.writes()).isEqualTo(1);
		assertThat(sync.getStatus().cacheError()).isNull();
	}

	@Test
	@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void aCacheWriteThatDoesNotEndHoldsTheStartNoLongerThanTheStartupTimeoutAndTheServersConfigurationIsInForce() {
		// The server answers at once; the disk does not, and the cache timeout is far longer than the start waits.
		// The startup timeout leaves the first pull of a cold JVM on a busy machine (WebClient's first request) time.
		HangingCacheRepository cache = hangingCache(Duration.ofSeconds(5), Duration.ofSeconds(60), true);
		cache.hang();
		ConfigSync sync;
		long cyclesBefore;
		try {
			sync = start();
			cyclesBefore = cyclesRun(sync);
			assertThat(sync.getVersion()).isEqualTo("v1");
			assertThat(sync.getStatus().source()).isEqualTo(ConfigSource.SERVER);
			assertThat(sync.getStatus().cacheError())
				.startsWith("The configuration cache write has not ended within ")
				.contains(" ms (agentkit.sync.startup-timeout, which the start waits for the first pull): the disk or "
						+ "network file system of SqliteConfigCacheRepository[" + this.cacheFile.toAbsolutePath()
						+ "] does not answer");
		}
		finally {
			cache.release();
		}
		// The write ahead finds no cache file to write into: the document is saved as soon as it ends, with no cycle.
		awaitWrittenAfterAll(sync, cache, "v1");
		assertThat(cyclesRun(sync)).isEqualTo(cyclesBefore);
	}

	@Test
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void aLookAtTheCacheFileThatDoesNotEndHoldsNoPollAndTheErrorGoesOnceTheFileAnswers() {
		HangingCacheRepository cache = hangingCache(Duration.ofSeconds(5), Duration.ofMillis(500), true);
		ConfigSync sync = start();
		cache.hang();
		try {
			// Each unchanged poll looks at the cache file (a stat), which a hard network mount may never answer.
			assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
			assertThat(sync.getStatus().cacheError()).startsWith("Looking at the configuration cache file has not "
					+ "ended within 500 ms (agentkit.sync.timeout): the disk or network file system of "
					+ "SqliteConfigCacheRepository[" + this.cacheFile.toAbsolutePath() + "] does not answer");
			// Later polls neither wait for it nor look again beside it, and a new version still comes into force.
			assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
			this.configServer.serve("v2");
			assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
			assertThat(sync.getVersion()).isEqualTo("v2");
			assertThat(sync.getStatus().cacheError()).isEqualTo(notStartedError());
			assertThat(cache.hungCalls()).isEqualTo(1);
		}
		finally {
			cache.release();
		}
		awaitCacheCaughtUp(sync, cache, "v2");
	}

	@Test
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void aLookAtTheCacheFileThatDoesNotEndIsNoLongerSaidOnceALaterLookEnds() {
		HangingCacheRepository cache = hangingCache(Duration.ofSeconds(5), Duration.ofMillis(500), true);
		ConfigSync sync = start();
		cache.hang();
		try {
			assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
			assertThat(sync.getStatus().cacheError()).startsWith("Looking at the configuration cache file");
		}
		finally {
			cache.release();
		}
		awaitAnswers(cache);
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
		assertThat(sync.getStatus().cacheError()).isNull();
		assertThat(sync.getVersion()).isEqualTo("v1");
	}

	@Test
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void aCacheReadThatDoesNotEndDoesNotHoldTheStartAndTheCacheIsReadOnceItAnswers() {
		seedCache("v0", START);
		HangingCacheRepository cache = hangingCache(Duration.ofMillis(200), Duration.ofMillis(500), true);
		this.configServer.failWith(503);
		cache.hang();
		ConfigSync sync;
		long cyclesBefore;
		try {
			sync = start();
			assertThat(sync.getSnapshot()).isEmpty();
			assertThat(sync.getStatus().cacheError()).startsWith("Reading the configuration cache has not ended "
					+ "within 500 ms (agentkit.sync.timeout): the disk or network file system of "
					+ "SqliteConfigCacheRepository[" + this.cacheFile.toAbsolutePath() + "] does not answer");
			// A retry while the read does not end goes to the server without queueing another read behind it.
			assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.FAILED);
			assertThat(sync.getStatus().cacheError()).isEqualTo("Reading the configuration cache was not started, "
					+ "as an earlier read or write of the cache has not ended: the disk or network file system of "
					+ "SqliteConfigCacheRepository[" + this.cacheFile.toAbsolutePath() + "] does not answer. It is "
					+ "read once the disk answers");
			cyclesBefore = cyclesRun(sync);
		}
		finally {
			cache.release();
		}
		awaitAnswers(cache);
		// The cache is read as soon as the read that had not ended ends, with no retry run, the server still down.
		await().atMost(Duration.ofSeconds(10)).until(() -> sync.getSnapshot().isPresent());
		assertThat(sync.getVersion()).isEqualTo("v0");
		assertThat(sync.getStatus().source()).isEqualTo(ConfigSource.CACHE);
		assertThat(sync.getStatus().cacheError()).isNull();
		assertThat(cyclesRun(sync)).isEqualTo(cyclesBefore);
	}

	@Test
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void aFirstPullThatEndsWhileTheStartReadsTheCacheWritesItsConfigurationOnceTheReadEnds() throws Exception {
		seedCache("v0", START);
		// The server holds the first pull past the startup timeout; the start's fallback read is slow, not stuck.
		HangingCacheRepository cache = hangingCache(Duration.ofMillis(300), Duration.ofSeconds(20), true);
		this.configServer.hold();
		cache.hang();
		ConfigSync sync = newSync();
		ExecutorService starter = Executors.newSingleThreadExecutor();
		try {
			Future<?> started = starter.submit(sync::start);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.configServer.waiting() == 1 && cache.isHanging());
			this.configServer.release();
			// The pull's body comes in while the read goes on: its write waits behind the read.
			await().atMost(Duration.ofSeconds(10))
				.until(() -> isWaitingIn("agentkit-sync", "commit") || sync.getStatus().cacheError() != null);
			cache.release();
			started.get(10, TimeUnit.SECONDS);
		}
		finally {
			cache.release();
			starter.shutdownNow();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> "v1".equals(sync.getVersion()));
		assertThat(sync.getStatus().cacheError()).isNull();
		assertThat(cached().snapshot().version()).isEqualTo("v1");
	}

	/**
	 * Return whether the named thread waits in a method of the given name.
	 */
	private static boolean isWaitingIn(String threadName, String methodName) {
		return Thread.getAllStackTraces().entrySet().stream().anyMatch((entry) -> entry.getKey().getName()
				.equals(threadName) && isWaiting(entry.getKey())
				&& Arrays.stream(entry.getValue()).anyMatch((frame) -> frame.getMethodName().equals(methodName)));
	}

	@Test
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void stopDuringAWriteAheadThatDoesNotEndStartsNoOtherWriteAndReturns() throws Exception {
		stopDuringACacheWriteThatDoesNotEnd(true);
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void stopDuringASaveThatDoesNotEndReturnsSayingSo(CapturedOutput output) throws Exception {
		stopDuringACacheWriteThatDoesNotEnd(false);
		assertThat(output).contains("The cache read or write in progress has not ended within 500 ms "
				+ "(a disk or network file system that does not answer); stopping without waiting for it");
	}

	/**
	 * Stop while a pull's cache write hangs, as on a disk or network file system that does
	 * not answer: the write ignores interrupts, as a thread in the kernel does.
	 * @param writesAhead whether the cache writes ahead of validation, or is saved once the
	 * document is valid (a repository of the application's own)
	 */
	private void stopDuringACacheWriteThatDoesNotEnd(boolean writesAhead) throws Exception {
		HangingCacheRepository cache = hangingCache(Duration.ofSeconds(5), Duration.ofMillis(500), writesAhead);
		ConfigSync sync = start();
		assertThat(cached().snapshot().version()).isEqualTo("v1");
		this.configServer.serve("v2");
		cache.hang();
		ExecutorService caller = Executors.newSingleThreadExecutor();
		try {
			caller.submit(() -> sync.syncNow());
			await().atMost(Duration.ofSeconds(10)).until(cache::isHanging);
			// stop() returns while the write still hangs (waiting for it would be forever: the test's timeout).
			sync.stop();
			assertThat(cache.isHanging()).isTrue();
			assertThat(cache.hungCalls()).isEqualTo(1);
		}
		finally {
			cache.release();
			caller.shutdownNow();
		}
		// The write that began before stop() ends as it would have; the cache holds one whole version.
		awaitAnswers(cache);
		assertThat(cached().snapshot().version()).isIn("v1", "v2");
		assertThat(cache.hungCalls()).isEqualTo(1);
	}

	@Test
	@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void stopDuringTheFirstPullLeavesNoCacheFile() {
		// Request and shutdown timeouts longer than the server holds the pull (20 s) and than the test's
		// timeout: a stop() that waited for the pull instead of cancelling it would fail the test.
		this.clientTimeout = Duration.ofSeconds(30);
		this.settings = new ConfigSyncSettings(POLL_INTERVAL, 0, StartupMode.SERVER_FIRST, Duration.ofMillis(200),
				Duration.ofSeconds(30), false);
		this.configServer.hold();
		ConfigSync sync = start();
		assertThat(sync.getSnapshot()).isEmpty();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.configServer.waiting() == 1);
		sync.stop();
		this.configServer.release();
		assertThat(sync.getSnapshot()).isEmpty();
		assertThat(this.cacheFile).doesNotExist();
		assertThat(this.events).isEmpty();
	}

	@Test
	void singleFlightTenConcurrentSyncsMakeOneSetOfRequests() throws Exception {
		ConfigSync sync = start();
		this.configServer.clear();
		this.configServer.serve("v2");
		this.configServer.hold();
		ExecutorService callers = Executors.newFixedThreadPool(10);
		List<Thread> threads = new CopyOnWriteArrayList<>();
		try {
			List<Future<SyncResult>> results = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				results.add(callers.submit(() -> {
					threads.add(Thread.currentThread());
					return sync.syncNow();
				}));
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> threads.size() == 10 && threads.stream().allMatch(ConfigSyncTests::isWaiting)
						&& this.configServer.waiting() == 1);
			this.configServer.release();
			for (Future<SyncResult> result : results) {
				assertThat(result.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(SyncOutcome.UPDATED);
			}
		}
		finally {
			callers.shutdownNow();
		}
		assertThat(this.configServer.paths()).containsExactly("/api/v1/config/version", "/api/v1/config/all");
		assertThat(this.events).hasSize(2);
	}

	private static boolean isWaiting(Thread thread) {
		Thread.State state = thread.getState();
		return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
	}

	// Typed binding

	@Test
	void skillBindsToAUserTypeIgnoringUnknownFieldsAndTheSameInstanceIsReturned() {
		this.configServer.allBody("""
				{"version": "v1", "skills": [{"name": "summarize", "limit": 512, "tags": ["a", "b"],
				  "unknown": {"deep": [1, 2]}, "also_unknown": null}],
				 "workflows": [{"workflow_id": "triage", "steps": ["summarize"], "extra": true}]}
				""");
		ConfigSync sync = start();
		SkillSettings skill = sync.getSkill("summarize", SkillSettings.class).orElseThrow();
		assertThat(skill).isEqualTo(new SkillSettings("summarize", 512, List.of("a", "b")));
		assertThat(sync.getSkill("summarize", SkillSettings.class)).containsSame(skill);
		WorkflowSettings workflow = sync.getWorkflow("triage", WorkflowSettings.class).orElseThrow();
		assertThat(workflow.steps()).containsExactly("summarize");
		assertThat(sync.getWorkflow("triage", WorkflowSettings.class)).containsSame(workflow);
		assertThat(sync.getSkill("missing", SkillSettings.class)).isEmpty();
		assertThat(sync.getWorkflow("missing", WorkflowSettings.class)).isEmpty();
	}

	@Test
	void bindingIsMadeAgainForANewConfiguration() {
		ConfigSync sync = start();
		SkillSettings first = sync.getSkill("s1", SkillSettings.class).orElseThrow();
		this.configServer.serve("v2");
		sync.syncNow();
		SkillSettings second = sync.getSkill("s1", SkillSettings.class).orElseThrow();
		assertThat(second).isNotSameAs(first);
		assertThat(second.limit()).isEqualTo(2);
		assertThat(first.limit()).isEqualTo(1);
	}

	@Test
	void bindingMismatchNamesTheSkillAndTheField() {
		this.configServer.allBody("""
				{"version": "v1", "skills": [{"name": "summarize", "limit": "lots"}]}
				""");
		ConfigSync sync = start();
		assertThatExceptionOfType(ConfigBindingException.class)
			.isThrownBy(() -> sync.getSkill("summarize", SkillSettings.class))
			.withMessageContaining("skill 'summarize'")
			.withMessageContaining("limit")
			.withMessageContaining(SkillSettings.class.getName());
		assertThat(sync.getSkill("summarize")).isPresent();
	}

	// Events and listeners

	@Test
	void eventNamesTheAddedRemovedAndChangedSkillsAndWorkflows() {
		this.configServer.allBody("""
				{"version": "v1",
				 "skills": [{"name": "a", "n": 1}, {"name": "b", "n": 1}, {"name": "c", "n": 1}],
				 "workflows": [{"workflow_id": "w1"}, {"workflow_id": "w2", "steps": ["a"]}]}
				""");
		ConfigSync sync = start();
		this.configServer.serve("v2");
		this.configServer.allBody("""
				{"version": "v2",
				 "skills": [{"name": "a", "n": 1}, {"name": "b", "n": 2}, {"name": "d", "n": 1}],
				 "workflows": [{"workflow_id": "w2", "steps": ["a", "d"]}, {"workflow_id": "w3"}]}
				""");
		sync.syncNow();
		assertThat(this.events).hasSize(2);
		ConfigChangedEvent event = this.events.get(1);
		assertThat(event.previousVersion()).isEqualTo("v1");
		assertThat(event.version()).isEqualTo("v2");
		assertThat(event.source()).isEqualTo(ConfigSource.SERVER);
		assertThat(event.skillChanges().added()).containsExactly("d");
		assertThat(event.skillChanges().removed()).containsExactly("c");
		assertThat(event.skillChanges().changed()).containsExactly("b");
		assertThat(event.workflowChanges().added()).containsExactly("w3");
		assertThat(event.workflowChanges().removed()).containsExactly("w1");
		assertThat(event.workflowChanges().changed()).containsExactly("w2");
		assertThat(event.previous()).isEqualTo(this.events.get(0).current());
		assertThat(event.current()).isSameAs(sync.getSnapshot().orElseThrow());
	}

	@Test
	void throwingEventListenerDoesNotBreakTheSync() {
		AtomicInteger calls = new AtomicInteger();
		this.eventPublisher = (event) -> {
			calls.incrementAndGet();
			throw new IllegalStateException("listener failed");
		};
		ConfigSync sync = start();
		assertThat(sync.getVersion()).isEqualTo("v1");
		this.configServer.serve("v2");
		SyncResult result = sync.syncNow();
		assertThat(result.outcome()).isEqualTo(SyncOutcome.UPDATED);
		assertThat(sync.getVersion()).isEqualTo("v2");
		assertThat(sync.getStatus().consecutiveFailures()).isZero();
		assertThat(sync.getStatus().lastError()).isNull();
		assertThat(cached().snapshot().version()).isEqualTo("v2");
		assertThat(calls).hasValue(2);
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void eventListenerThatSyncsAgainIsToldWhyInsteadOfWaitingForItself(CapturedOutput output) {
		AtomicReference<ConfigSync> engine = new AtomicReference<>();
		this.eventPublisher = (event) -> {
			if (engine.get() != null) {
				engine.get().syncNow(true);
			}
		};
		ConfigSync sync = start();
		engine.set(sync);
		this.configServer.serve("v2");
		SyncResult result = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> sync.syncNow());
		assertThat(result.outcome()).isEqualTo(SyncOutcome.UPDATED);
		assertThat(sync.getVersion()).isEqualTo("v2");
		assertThat(output).contains("syncNow() was called on the sync thread, by a listener of the cycle it would "
				+ "wait for");
		this.configServer.serve("v3");
		assertThat(assertTimeoutPreemptively(Duration.ofSeconds(30), () -> sync.syncNow()).version()).isEqualTo("v3");
	}

	@Test
	void throwingSyncListenerDoesNotBreakTheSync() {
		ConfigSync sync = newSync();
		List<SyncResult> results = new CopyOnWriteArrayList<>();
		List<Boolean> pulls = new CopyOnWriteArrayList<>();
		sync.addListener(new ConfigSyncListener() {

			@Override
			public void cycleCompleted(SyncResult result) {
				results.add(result);
				throw new IllegalStateException("listener failed");
			}

			@Override
			public void pullCompleted(Duration duration, boolean success) {
				pulls.add(success);
				throw new IllegalStateException("listener failed");
			}

		});
		sync.start();
		this.configServer.serve("v2");
		assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
		assertThat(sync.getVersion()).isEqualTo("v2");
		assertThat(results).extracting(SyncResult::outcome).containsExactly(SyncOutcome.UPDATED, SyncOutcome.UPDATED);
		assertThat(pulls).containsExactly(true, true);
	}

	// Consistency

	@Test
	void readersNeverSeeAMixedSnapshot() throws Exception {
		ConfigSync sync = start();
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger reads = new AtomicInteger();
		ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
		ExecutorService readers = Executors.newFixedThreadPool(4);
		CountDownLatch started = new CountDownLatch(4);
		try {
			for (int i = 0; i < 4; i++) {
				readers.execute(() -> {
					started.countDown();
					while (running.get()) {
						ConfigSnapshot snapshot = sync.getSnapshot().orElseThrow();
						String version = snapshot.version();
						Stream.concat(snapshot.skills().stream(), snapshot.workflows().stream())
							.filter((item) -> !version.equals(item.get("version")))
							.forEach((item) -> problems.add(version + " holds " + item));
						if (!("synced-" + version).equals(snapshot.syncedAt())) {
							problems.add(version + " synced at " + snapshot.syncedAt());
						}
						if (snapshot.skill("s1").orElseThrow() != snapshot.skills().get(0)) {
							problems.add(version + " index out of step");
						}
						reads.incrementAndGet();
					}
				});
			}
			started.await(10, TimeUnit.SECONDS);
			for (int version = 2; version <= 12; version++) {
				this.configServer.serve("v" + version);
				assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
			}
		}
		finally {
			running.set(false);
			readers.shutdown();
			assertThat(readers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(problems).isEmpty();
		assertThat(reads.get()).isPositive();
		assertThat(sync.getVersion()).isEqualTo("v12");
	}

	// Helpers

	/**
	 * Return a client that asks the given one for the version and pulls with the given
	 * supplier, without handing the body over before it is validated (the interface's
	 * default).
	 */
	private static ConfigServerClient pullingWith(ConfigServerClient client, Supplier<ConfigDocument> fetchAll) {
		return new ConfigServerClient() {

			@Override
			public String fetchVersion() {
				return client.fetchVersion();
			}

			@Override
			public ConfigDocument fetchAll() {
				return fetchAll.get();
			}

		};
	}

	private ConfigSync start() {
		ConfigSync sync = newSync();
		sync.start();
		return sync;
	}

	private ConfigSync newSync() {
		return newSync(this.server.url("/").toString());
	}

	private ConfigSync newSync(String url) {
		WebClientConfigServerClient client = new WebClientConfigServerClient(WebClient.builder(), URI.create(url),
				this.tokenProvider, this.clientTimeout, DataSize.ofMegabytes(64), false, this.reader, this.clock);
		this.clients.add(client);
		PollSchedule schedule = (this.pollSchedule != null) ? this.pollSchedule
				: new PollSchedule(this.settings.pollInterval(), this.settings.jitter(), this.random);
		ConfigSync sync = new ConfigSync(this.clientWrapper.apply(client),
				(this.cacheRepository != null) ? this.cacheRepository : cache(), this.settings, schedule, this.clock,
				JsonMapper.builder().build(), this.eventPublisher);
		this.engines.add(sync);
		return sync;
	}

	private SqliteConfigCacheRepository cache() {
		return new SqliteConfigCacheRepository(this.cacheFile, this.reader, this.clock, 5000);
	}

	private ConfigSyncSettings withFailFast(boolean failFast) {
		return new ConfigSyncSettings(this.settings.pollInterval(), this.settings.jitter(),
				this.settings.startupMode(), this.settings.startupTimeout(), this.settings.shutdownTimeout(), failFast);
	}

	private void seedCache(String version, Instant cachedAt) {
		MutableClock then = new MutableClock(cachedAt);
		new SqliteConfigCacheRepository(this.cacheFile, this.reader, then, 5000)
			.save(this.reader.readAll(ConfigServer.body(version).getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * Seed the cache with v0 and have the next engine use it through a recording
	 * repository, so that its pulls replace an existing file.
	 */
	private RecordingCacheRepository recordingCacheOfV0() {
		seedCache("v0", START);
		RecordingCacheRepository cache = new RecordingCacheRepository(this.cacheFile, this.clock);
		this.cacheRepository = cache;
		return cache;
	}

	/**
	 * Use a cache whose calls block, once {@link HangingCacheRepository#hang()} is called,
	 * until released, with the given startup and cache timeouts.
	 */
	private HangingCacheRepository hangingCache(Duration startupTimeout, Duration timeout, boolean writesAhead) {
		this.settings = new ConfigSyncSettings(POLL_INTERVAL, 0, StartupMode.SERVER_FIRST, startupTimeout, timeout,
				false);
		HangingCacheRepository cache = new HangingCacheRepository(this.cacheFile, this.clock, writesAhead);
		this.cacheRepository = cache;
		return cache;
	}

	/**
	 * Start on v1, then hang the cache and pull v2: v2 is in force, its cache write has not
	 * ended within the cache timeout (500 ms) and {@code cacheError} says so. The cache is
	 * left hanging, unless this fails.
	 */
	private ConfigSync startAndPullV2WhileTheCacheHangs(HangingCacheRepository cache) {
		ConfigSync sync = start();
		cache.hang();
		try {
			this.configServer.serve("v2");
			assertThat(sync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
			assertThat(sync.getVersion()).isEqualTo("v2");
			assertThat(sync.getStatus().cacheError()).startsWith("The configuration cache write has not ended "
					+ "within 500 ms (agentkit.sync.timeout): the disk or network file system of "
					+ "SqliteConfigCacheRepository[" + this.cacheFile.toAbsolutePath() + "] does not answer");
			return sync;
		}
		catch (RuntimeException | AssertionError ex) {
			cache.release();
			throw ex;
		}
	}

	private String notStartedError() {
		return "The configuration cache write was not started, as an earlier read or write of the cache has not "
				+ "ended: the disk or network file system of SqliteConfigCacheRepository["
				+ this.cacheFile.toAbsolutePath() + "] does not answer. The configuration in force is written once it "
				+ "answers";
	}

	private static void awaitAnswers(HangingCacheRepository cache) {
		await().atMost(Duration.ofSeconds(10)).until(() -> !cache.isHanging());
	}

	/**
	 * Wait, once a hanging cache is released, for the cycles to write the version in force
	 * and say no cache error.
	 */
	private void awaitCacheCaughtUp(ConfigSync sync, HangingCacheRepository cache, String version) {
		awaitAnswers(cache);
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			sync.syncNow();
			return sync.getStatus().cacheError() == null;
		});
		assertThat(cached().snapshot().version()).isEqualTo(version);
	}

	/**
	 * Wait, once a hanging cache is released, for the version in force to be in the cache
	 * (put there by the write that had not ended, or saved once it ends) and for the cache
	 * error to go, with no cycle run.
	 */
	private void awaitWrittenAfterAll(ConfigSync sync, HangingCacheRepository cache, String version) {
		awaitAnswers(cache);
		await().atMost(Duration.ofSeconds(10)).until(() -> sync.getStatus().cacheError() == null);
		assertThat(cached().snapshot().version()).isEqualTo(version);
	}

	private static long cyclesRun(ConfigSync sync) {
		SyncTotals totals = sync.getTotals();
		return Arrays.stream(SyncOutcome.values()).mapToLong(totals::cycles).sum();
	}

	private ConfigDocument cached() {
		return new SqliteConfigCacheRepository(this.cacheFile, this.reader, this.clock, 5000).load().orElseThrow();
	}

	/**
	 * The SQLite cache, counting how each document is written; its writes ahead of
	 * validation fail when told to.
	 */
	static final class RecordingCacheRepository extends SqliteConfigCacheRepository {

		final AtomicInteger saves = new AtomicInteger();

		final AtomicInteger aheadWrites = new AtomicInteger();

		final AtomicInteger aheadCommits = new AtomicInteger();

		final AtomicInteger aheadEnded = new AtomicInteger();

		volatile boolean failAhead;

		RecordingCacheRepository(Path file, Clock clock) {
			super(file, new ConfigDocumentReader(), clock, 5000);
		}

		@Override
		public void save(ConfigDocument document) {
			this.saves.incrementAndGet();
			super.save(document);
		}

		@Override
		public boolean saveIfConfirmed(ConfigParts parts, BooleanSupplier confirmation) {
			this.aheadWrites.incrementAndGet();
			if (this.failAhead) {
				throw new ConfigCacheException("disk trouble", null);
			}
			try {
				boolean committed = super.saveIfConfirmed(parts, confirmation);
				if (committed) {
					this.aheadCommits.incrementAndGet();
				}
				return committed;
			}
			finally {
				this.aheadEnded.incrementAndGet();
			}
		}

	}

	/**
	 * The SQLite cache, whose reads and writes, once told to, wait until released and
	 * ignore interrupts meanwhile, as those of a disk that does not answer do.
	 */
	static final class HangingCacheRepository extends SqliteConfigCacheRepository {

		private final boolean writesAhead;

		private final CountDownLatch released = new CountDownLatch(1);

		private final AtomicInteger hungCalls = new AtomicInteger();

		private final AtomicInteger writes = new AtomicInteger();

		private volatile boolean hang;

		private volatile boolean hanging;

		HangingCacheRepository(Path file, Clock clock, boolean writesAhead) {
			super(file, new ConfigDocumentReader(), clock, 5000);
			this.writesAhead = writesAhead;
		}

		void hang() {
			this.hang = true;
		}

		void release() {
			this.released.countDown();
		}

		boolean isHanging() {
			return this.hanging;
		}

		int hungCalls() {
			return this.hungCalls.get();
		}

		/**
		 * Return the writes begun since {@link #hang()}: saves, and writes ahead of
		 * validation.
		 */
		int writes() {
			return this.writes.get();
		}

		@Override
		public Optional<ConfigDocument> load() {
			waitIfHung();
			return super.load();
		}

		@Override
		public void save(ConfigDocument document) {
			countWrite();
			waitIfHung();
			super.save(document);
		}

		@Override
		public boolean isLost() {
			waitIfHung();
			return super.isLost();
		}

		@Override
		public boolean saveIfConfirmed(ConfigParts parts, BooleanSupplier confirmation) {
			if (!this.writesAhead) {
				return false;
			}
			countWrite();
			waitIfHung();
			return super.saveIfConfirmed(parts, confirmation);
		}

		private void countWrite() {
			if (this.hang) {
				this.writes.incrementAndGet();
			}
		}

		private void waitIfHung() {
			if (!this.hang) {
				return;
			}
			this.hungCalls.incrementAndGet();
			this.hanging = true;
			boolean interrupted = false;
			try {
				while (true) {
					try {
						this.released.await();
						break;
					}
					catch (InterruptedException ex) {
						interrupted = true;
					}
				}
			}
			finally {
				this.hanging = false;
				if (interrupted) {
					Thread.currentThread().interrupt();
				}
			}
		}

	}

	record SkillSettings(String name, int limit, List<String> tags) {

	}

	record WorkflowSettings(List<String> steps) {

	}

	/**
	 * An AgentKit server whose configuration, failures and timing a test controls. Every
	 * skill and workflow of version {@code vN} carries {@code "version": "vN"}.
	 */
	/**
	 * A token provider that, once told to, blocks until released, as one calling an
	 * identity provider that does not answer would.
	 */
	static final class BlockingTokenProvider implements TokenProvider {

		private final CountDownLatch released = new CountDownLatch(1);

		private volatile boolean blockNext;

		private volatile boolean blocking;

		void block() {
			this.blockNext = true;
		}

		boolean isBlocking() {
			return this.blocking;
		}

		void release() {
			this.blockNext = false;
			this.released.countDown();
		}

		@Override
		public String getToken() {
			if (this.blockNext) {
				this.blocking = true;
				try {
					this.released.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					this.blocking = false;
				}
			}
			return "test-token";
		}

	}

	static final class ConfigServer extends Dispatcher {

		private final List<String> paths = new CopyOnWriteArrayList<>();

		private final AtomicInteger waiting = new AtomicInteger();

		private volatile String version = "v1";

		private volatile String allBody;

		private volatile String versionBody;

		private volatile MockResponse failure;

		private volatile Duration headersDelay = Duration.ZERO;

		private volatile CountDownLatch gate = new CountDownLatch(0);

		private volatile String heldPath;

		static String body(String version) {
			int number = Integer.parseInt(version.substring(1));
			return "{\"version\": \"" + version + "\", \"skills\": [{\"name\": \"s1\", \"version\": \"" + version
					+ "\", \"limit\": " + number + ", \"tags\": []}, {\"name\": \"s2\", \"version\": \"" + version
					+ "\"}], \"workflows\": [{\"workflow_id\": \"w1\", \"version\": \"" + version
					+ "\"}], \"synced_at\": \"synced-" + version + "\"}";
		}

		@Override
		public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
			String path = request.getUrl().encodedPath();
			this.paths.add(path);
			if (this.heldPath == null || this.heldPath.equals(path)) {
				this.waiting.incrementAndGet();
				try {
					this.gate.await(20, TimeUnit.SECONDS);
				}
				finally {
					this.waiting.decrementAndGet();
				}
			}
			MockResponse response = respond(path);
			if (!this.headersDelay.isZero()) {
				response = response.newBuilder().headersDelay(this.headersDelay.toMillis(), TimeUnit.MILLISECONDS).build();
			}
			return response;
		}

		private MockResponse respond(String path) {
			if (this.failure != null) {
				return this.failure;
			}
			if (path.equals("/api/v1/config/version")) {
				return json((this.versionBody != null) ? this.versionBody
						: "{\"version\": \"" + this.version + "\"}");
			}
			if (path.equals("/api/v1/config/all")) {
				return json((this.allBody != null) ? this.allBody : body(this.version));
			}
			return new MockResponse.Builder().code(404).build();
		}

		private static MockResponse json(String body) {
			return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
		}

		void serve(String version) {
			this.version = version;
			this.allBody = null;
		}

		void allBody(String body) {
			this.allBody = body;
		}

		void versionBody(String body) {
			this.versionBody = body;
		}

		void failWith(int status) {
			failWith(new MockResponse.Builder().code(status).build());
		}

		void failWith(MockResponse response) {
			this.failure = response;
		}

		void recover() {
			this.failure = null;
		}

		void delayHeaders(Duration delay) {
			this.headersDelay = delay;
		}

		/**
		 * Hold every answer until {@link #release()}.
		 */
		void hold() {
			hold(null);
		}

		/**
		 * Hold the answers to one path until {@link #release()}.
		 * @param path the path, or {@code null} for all
		 */
		void hold(String path) {
			this.heldPath = path;
			this.gate = new CountDownLatch(1);
		}

		void release() {
			this.gate.countDown();
		}

		int waiting() {
			return this.waiting.get();
		}

		List<String> paths() {
			return List.copyOf(this.paths);
		}

		void clear() {
			this.paths.clear();
		}


	}

}
