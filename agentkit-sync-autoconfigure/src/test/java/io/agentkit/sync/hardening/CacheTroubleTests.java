package io.agentkit.sync.hardening;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.agentkit.sync.ConfigDocument;
import io.agentkit.sync.ConfigSource;
import io.agentkit.sync.SyncOutcome;
import io.agentkit.sync.SyncResult;
import io.agentkit.sync.cache.ConfigCacheRepository;
import io.agentkit.sync.health.ConfigSyncHealthIndicator;
import io.agentkit.sync.test.AgentKitTestServer;
import io.agentkit.sync.test.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cache trouble that root cannot bypass (the tests run as root, so permissions are no
 * obstacle): a cache path under a regular file, a folder the kernel refuses ({@code /sys}),
 * a cache file locked by another connection's write transaction, a file that is not a
 * database, a disk that is full. The engine runs on the server's data, status and health name the problem,
 * reads never wait on the cache, and the cache is written again once the trouble is
 * gone, at the next cycle even when the version did not change.
 */
class CacheTroubleTests {

	private static final Duration MAX_STALENESS = Duration.ofMinutes(15);

	@TempDir
	Path temp;

	private AgentKitTestServer server;

	@BeforeEach
	void startServer() throws Exception {
		this.server = new AgentKitTestServer();
		this.server.serve("v1", skills("v1"), "[]");
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void cachePathUnderARegularFileRunsOnServerDataAndIsWrittenOnceTheFileIsGone() throws Exception {
		Path blocker = Files.writeString(this.temp.resolve("blocker"), "a regular file");
		Path cacheFile = blocker.resolve("cache.db");
		try (TestEngine engine = TestEngine.builder(this.server.url(), cacheFile).start()) {
			assertRunsOnServerData(engine, "v1");
			assertThat(engine.sync.getStatus().cacheError()).contains(blocker.toString());
			assertThat(health(engine).getDetails()).containsKey("cacheError").containsEntry("version", "v1");
			Files.delete(blocker);
			assertThat(engine.sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
			assertThat(engine.sync.getStatus().cacheError()).isNull();
			assertThat(health(engine).getDetails()).doesNotContainKey("cacheError");
		}
		assertThat(CacheFile.version(cacheFile)).isEqualTo("v1");
	}

	@Test
	void forcedPullOfTheSameVersionDuringTroubleDoesNotStopTheCacheBeingWrittenLater() throws Exception {
		Path blocker = Files.writeString(this.temp.resolve("blocker"), "a regular file");
		Path cacheFile = blocker.resolve("cache.db");
		try (TestEngine engine = TestEngine.builder(this.server.url(), cacheFile).start()) {
			assertRunsOnServerData(engine, "v1");
			assertThat(engine.sync.syncNow(true).outcome()).isEqualTo(SyncOutcome.UNCHANGED);
			assertThat(engine.sync.getStatus().cacheError()).isNotNull();
			Files.delete(blocker);
			assertThat(engine.sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
			assertThat(engine.sync.getStatus().cacheError()).isNull();
		}
		assertThat(CacheFile.version(cacheFile)).isEqualTo("v1");
	}

	@Test
	@EnabledOnOs(value = OS.LINUX, disabledReason = "uses /sys as a folder that even root cannot write")
	void cacheFolderTheKernelRefusesRunsOnServerData() throws Exception {
		Path cacheFile = Path.of("/sys", "agentkit-" + UUID.randomUUID(), "cache.db");
		try (TestEngine engine = TestEngine.builder(this.server.url(), cacheFile).start()) {
			assertRunsOnServerData(engine, "v1");
			assertThat(engine.sync.getStatus().cacheError()).contains(cacheFile.getParent().toString());
			assertThat(health(engine).getStatus()).isEqualTo(Status.UP);
			assertThat(health(engine).getDetails()).containsKey("cacheError");
		}
		assertThat(cacheFile.getParent()).doesNotExist();
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void fullDiskKeepsTheCachedVersionSaysTheDiskIsFullAndLogsNoError() throws Exception {
		onTmpfs("small-disk", "256k", (disk, cacheFile) -> {
			try (TestEngine engine = TestEngine.builder(this.server.url(), cacheFile).start()) {
				assertRunsOnServerData(engine, "v1");
				this.server.serve("v2", "[{\"name\":\"summarize\",\"stamp\":\"v2\",\"prompt\":\""
						+ "x".repeat(1_000_000) + "\"}]", "[]");
				try (LogCapture log = LogCapture.capture()) {
					assertThat(engine.sync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
					assertThat(engine.sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
					assertThat(log.errorsAndStackTraces()).isEmpty();
				}
				assertRunsOnServerData(engine, "v2");
				assertThat(engine.sync.getStatus().cacheError()).contains(cacheFile.toString())
					.containsIgnoringCase("full");
			}
		});
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void readOnlyDiskKeepsTheCachedVersionAndSaysWhatToDo() throws Exception {
		onTmpfs("read-only-disk", "1m", (disk, cacheFile) -> {
			try (TestEngine engine = TestEngine.builder(this.server.url(), cacheFile).start()) {
				assertRunsOnServerData(engine, "v1");
				assertThat(run("mount", "-o", "remount,ro", disk.toString())).isZero();
				this.server.serve("v2", skills("v2"), "[]");
				assertThat(engine.sync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
				assertRunsOnServerData(engine, "v2");
				assertThat(engine.sync.getStatus().cacheError()).contains(cacheFile.toString(), "readonly",
						"cannot be written (a read-only disk or mount", "agentkit.sync.cache-db-path");
			}
		});
	}

	/**
	 * Run a test on a cache file on a tmpfs of the given size of its own (skipped where
	 * one cannot be mounted), then check that the cache still holds v1.
	 */
	private void onTmpfs(String name, String size, DiskTest test) throws Exception {
		Path disk = Files.createDirectories(this.temp.resolve(name));
		Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", disk.toString()) == 0,
				"mounting a tmpfs needs root");
		try {
			Path cacheFile = disk.resolve("cache.db");
			test.run(disk, cacheFile);
			assertThat(CacheFile.version(cacheFile)).isEqualTo("v1");
		}
		finally {
			run("umount", disk.toString());
		}
	}

	private static int run(String... command) throws Exception {
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start()
			.waitFor();
	}

	@Test
	void lockedCacheFileNeverBlocksReadsAndIsWrittenOnceTheLockIsGone() throws Exception {
		Path cacheFile = this.temp.resolve("cache.db");
		CountDownLatch saving = new CountDownLatch(1);
		try (TestEngine engine = TestEngine.builder(this.server.url(), cacheFile)
			.busyTimeoutMillis(1500)
			.cacheDecorator((cache) -> new Signalling(cache, saving))
			.start()) {
			assertThat(CacheFile.version(cacheFile)).isEqualTo("v1");
			saving.await(1, TimeUnit.SECONDS);
			CountDownLatch lockedSave = new CountDownLatch(1);
			((Signalling) engine.cache).next = lockedSave;
			this.server.serve("v2", skills("v2"), "[]");
			try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + cacheFile);
					Statement statement = other.createStatement()) {
				statement.execute("BEGIN EXCLUSIVE");
				CompletableFuture<SyncResult> sync = CompletableFuture.supplyAsync(engine.sync::syncNow);
				assertThat(lockedSave.await(5, TimeUnit.SECONDS)).as("the engine is writing the cache").isTrue();
				// The write waits for the lock up to the busy timeout (1.5 s). Reads that waited for it too
				// would end only as it does: many ending while it still waits shows they do not.
				int readsWhileTheWriteWaits = 0;
				while (!sync.isDone()) {
					engine.sync.getSnapshot().orElseThrow();
					engine.sync.getSkill("summarize");
					engine.sync.getVersion();
					engine.sync.getStatus();
					health(engine);
					if (!sync.isDone()) {
						readsWhileTheWriteWaits++;
					}
					Thread.sleep(5);
				}
				assertThat(readsWhileTheWriteWaits).as("reads that ended while the write waited for the lock")
					.isGreaterThanOrEqualTo(5);
				SyncResult result = sync.get();
				assertThat(result.outcome()).isEqualTo(SyncOutcome.UPDATED);
				assertRunsOnServerData(engine, "v2");
				assertThat(engine.sync.getStatus().cacheError()).contains(cacheFile.toString()).contains("locked");
				assertThat(health(engine).getDetails()).containsKey("cacheError");
				statement.execute("ROLLBACK");
			}
			assertThat(CacheFile.version(cacheFile)).isEqualTo("v1");
			assertThat(engine.sync.syncNow().outcome()).isEqualTo(SyncOutcome.UNCHANGED);
			assertThat(engine.sync.getStatus().cacheError()).isNull();
		}
		assertThat(CacheFile.version(cacheFile)).isEqualTo("v2");
		assertThat(CacheFile.integrityCheck(cacheFile)).isEqualTo("ok");
	}

	@Test
	void cacheLockedAtStartupIsReadAgainOnceTheLockIsGoneWhileTheServerIsStillDown() throws Exception {
		Path cacheFile = this.temp.resolve("cache.db");
		try (TestEngine engine = TestEngine.builder(this.server.url(), cacheFile).start()) {
			assertRunsOnServerData(engine, "v1");
		}
		this.server.answerWith(503);
		try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + cacheFile);
				Statement statement = other.createStatement()) {
			statement.execute("BEGIN EXCLUSIVE");
			try (TestEngine engine = TestEngine.builder(this.server.url(), cacheFile).busyTimeoutMillis(200).start()) {
				assertThat(engine.sync.getSnapshot()).isEmpty();
				assertThat(engine.sync.getStatus().cacheError()).contains(cacheFile.toString()).contains("locked");
				assertThat(engine.sync.syncNow().outcome()).isEqualTo(SyncOutcome.FAILED);
				assertThat(engine.sync.getSnapshot()).as("nothing is in force while the file is locked").isEmpty();
				statement.execute("ROLLBACK");
				SyncResult retried = engine.sync.syncNow();
				assertThat(retried.outcome()).as("the server still fails").isEqualTo(SyncOutcome.FAILED);
				assertThat(engine.sync.getVersion()).isEqualTo("v1");
				assertThat(engine.sync.getSkill("summarize")).isPresent();
				assertThat(engine.sync.getStatus().source()).isEqualTo(ConfigSource.CACHE);
				assertThat(engine.sync.getStatus().cacheError()).isNull();
				assertThat(health(engine).getDetails()).doesNotContainKey("cacheError").containsEntry("version", "v1");
			}
		}
	}

	@Test
	void fileThatIsNotADatabaseIsSetAsideAndRewritten() throws Exception {
		Path cacheFile = Files.writeString(this.temp.resolve("cache.db"), "not a database, ".repeat(500));
		try (TestEngine engine = TestEngine.builder(this.server.url(), cacheFile).start()) {
			assertRunsOnServerData(engine, "v1");
			assertThat(engine.sync.getStatus().cacheError()).isNull();
		}
		assertThat(CacheFile.version(cacheFile)).isEqualTo("v1");
		try (Stream<Path> files = Files.list(this.temp)) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.anySatisfy((name) -> assertThat(name).startsWith("cache.db.corrupt-"));
		}
	}

	@Test
	@EnabledOnOs(value = { OS.LINUX, OS.MAC }, disabledReason = "makes symbolic links")
	void fileBehindASymbolicLinkThatIsNotADatabaseIsSetAsideAndRewrittenWhereTheLinkPoints() throws Exception {
		Path volume = Files.createDirectories(this.temp.resolve("volume"));
		Path target = Files.writeString(volume.resolve("target.db"), "not a database, ".repeat(500));
		Path link = Files.createSymbolicLink(this.temp.resolve("cache.db"), target);
		try (TestEngine engine = TestEngine.builder(this.server.url(), link).start()) {
			assertRunsOnServerData(engine, "v1");
			assertThat(engine.sync.getStatus().cacheError()).isNull();
		}
		assertThat(Files.readSymbolicLink(link)).isEqualTo(target);
		assertThat(CacheFile.version(target)).isEqualTo("v1");
		try (Stream<Path> files = Files.list(volume)) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.anySatisfy((name) -> assertThat(name).startsWith("target.db.corrupt-"));
		}
		try (Stream<Path> files = Files.list(this.temp)) {
			assertThat(files.map((file) -> file.getFileName().toString())).containsExactlyInAnyOrder("volume",
					"cache.db");
		}
	}

	private static void assertRunsOnServerData(TestEngine engine, String version) {
		assertThat(engine.sync.getVersion()).isEqualTo(version);
		assertThat(engine.sync.getStatus().source()).isEqualTo(ConfigSource.SERVER);
		assertThat(engine.sync.getSkill("summarize")).get()
			.satisfies((skill) -> assertThat(skill).containsEntry("stamp", version));
	}

	private static Health health(TestEngine engine) {
		return new ConfigSyncHealthIndicator(engine.sync, MAX_STALENESS, Status.OUT_OF_SERVICE, Clock.systemUTC())
			.health();
	}

	private static String skills(String version) {
		return "[{\"name\":\"summarize\",\"stamp\":\"" + version + "\"}]";
	}

	/**
	 * Counts a latch down when a save begins.
	 */
	private static final class Signalling implements ConfigCacheRepository {

		private final ConfigCacheRepository delegate;

		volatile CountDownLatch next;

		Signalling(ConfigCacheRepository delegate, CountDownLatch first) {
			this.delegate = delegate;
			this.next = first;
		}

		@Override
		public Optional<ConfigDocument> load() {
			return this.delegate.load();
		}

		@Override
		public void save(ConfigDocument document) {
			this.next.countDown();
			this.delegate.save(document);
		}

	}

	@FunctionalInterface
	private interface DiskTest {

		void run(Path disk, Path cacheFile) throws Exception;

	}

}
