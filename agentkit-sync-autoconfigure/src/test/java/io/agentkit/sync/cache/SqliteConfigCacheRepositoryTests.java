package io.agentkit.sync.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.agentkit.sync.ConfigDocument;
import io.agentkit.sync.ConfigDocumentReader;
import io.agentkit.sync.ConfigSnapshot;
import io.agentkit.sync.test.ChildJavaCommand;
import io.agentkit.sync.test.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SqliteConfigCacheRepository} on real SQLite files.
 */
class SqliteConfigCacheRepositoryTests {

	/**
	 * The Python client's schema, character for character.
	 */
	private static final String PYTHON_SCHEMA = """

			CREATE TABLE IF NOT EXISTS config_cache (
			    key TEXT PRIMARY KEY,
			    value TEXT NOT NULL,
			    updated_at TEXT NOT NULL
			);
			""";

	private final ConfigDocumentReader reader = new ConfigDocumentReader();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));

	@TempDir
	Path tempDir;

	@Test
	@DisabledOnOs(OS.WINDOWS)
	void cachePathThatIsADeviceIsNeitherReadNorWrittenAndSaysSo() throws IOException {
		Path file = Files.createSymbolicLink(this.tempDir.resolve("cache.db"), Path.of("/dev/null"));
		SqliteConfigCacheRepository repository = repository(file);
		assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(repository::load)
			.withMessageContaining("is not a regular file (a device, a pipe or a socket, or a link to one); set "
					+ "agentkit.sync.cache-db-path to a file of its own");
		assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(() -> repository.save(document("v1")))
			.withMessageStartingWith("Could not write the configuration cache: ")
			.withMessageContaining("is not a regular file");
		assertThat(Files.readSymbolicLink(file)).isEqualTo(Path.of("/dev/null"));
	}

	@Test
	void cacheThatCannotBeCreatedSaysWhichPropertyMovesIt() throws IOException {
		Path inTheWay = Files.writeString(this.tempDir.resolve("a-file"), "not a folder");
		SqliteConfigCacheRepository repository = repository(inTheWay.resolve("agentkit").resolve("cache.db"));
		assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(() -> repository.save(document("v1")))
			.withMessageStartingWith("Could not create the configuration cache ")
			.withMessageContaining("; set agentkit.sync.cache-db-path (or, where it is not set, the "
					+ "AGENTKIT_CONFIG_CACHE environment variable) to a file in a folder this process may create or "
					+ "write");
	}

	@Test
	void getsReadyWithoutTouchingTheCacheFileOrItsFolder() {
		Path file = this.tempDir.resolve("not-yet").resolve("cache.db");
		SqliteConfigCacheRepository repository = new SqliteConfigCacheRepository(file, this.reader, this.clock, 1000);
		repository.prepare();
		assertThat(file.getParent()).doesNotExist();
		assertThat(repository.load()).isEmpty();
		repository.save(document("v1"));
		assertThat(repository.load()).get().extracting((document) -> document.snapshot().version()).isEqualTo("v1");
	}

	@Test
	void saveThenLoadRoundTripsTheDocument() {
		Path file = this.tempDir.resolve("cache.db");
		ConfigDocument document = document("v1");
		repository(file).save(document);
		ConfigDocument loaded = repository(file).load().orElseThrow();
		assertThat(loaded.snapshot()).isEqualTo(document.snapshot());
		assertThat(loaded.parts()).isEqualTo(document.parts());
		assertThat(loaded.cachedAt()).isEqualTo(this.clock.instant());
	}

	@Test
	void saveReplacesThePreviousDocument() {
		Path file = this.tempDir.resolve("cache.db");
		SqliteConfigCacheRepository repository = repository(file);
		repository.save(document("v1"));
		this.clock.advance(Duration.ofMinutes(5));
		repository.save(document("v2"));
		ConfigDocument loaded = repository.load().orElseThrow();
		assertThat(loaded.snapshot().version()).isEqualTo("v2");
		assertThat(loaded.snapshot().skillNames()).containsExactly("skill-v2");
		assertThat(loaded.cachedAt()).isEqualTo(this.clock.instant());
		assertThat(rows(file)).hasSize(4);
	}

	@Test
	void saveIfConfirmedCommitsOnlyWhenConfirmed() {
		Path file = this.tempDir.resolve("cache.db");
		SqliteConfigCacheRepository repository = repository(file);
		repository.save(document("v1"));
		AtomicInteger asked = new AtomicInteger();
		assertThat(repository.saveIfConfirmed(document("v2").parts(), () -> asked.incrementAndGet() < 0)).isFalse();
		assertThat(asked).hasValue(1);
		assertThat(cachedVersion(repository)).isEqualTo("v1");
		assertThat(repository.saveIfConfirmed(document("v3").parts(), () -> true)).isTrue();
		assertThat(cachedVersion(repository)).isEqualTo("v3");
		assertThat(rows(file)).hasSize(4);
	}

	@Test
	void saveIfConfirmedWithoutAFileWritesNothing() {
		Path file = this.tempDir.resolve("missing/cache.db");
		assertThat(repository(file).saveIfConfirmed(document("v1").parts(), () -> true)).isFalse();
		assertThat(file.getParent()).doesNotExist();
	}

	@Test
	void saveIfConfirmedRollsBackWhenTheConfirmationFails() {
		Path file = this.tempDir.resolve("cache.db");
		SqliteConfigCacheRepository repository = repository(file);
		repository.save(document("v1"));
		assertThatIllegalStateException().isThrownBy(() -> repository.saveIfConfirmed(document("v2").parts(), () -> {
			throw new IllegalStateException("interrupted");
		}));
		assertThat(cachedVersion(repository)).isEqualTo("v1");
		// The transaction is not left open: the next write goes through.
		repository.save(document("v3"));
		assertThat(cachedVersion(repository)).isEqualTo("v3");
	}

	@Test
	void saveIfConfirmedHoldsTheWriteLockUntilConfirmed() throws Exception {
		Path file = this.tempDir.resolve("cache.db");
		SqliteConfigCacheRepository repository = repository(file);
		repository.save(document("v1"));
		CountDownLatch written = new CountDownLatch(1);
		CountDownLatch confirm = new CountDownLatch(1);
		ExecutorService writer = Executors.newSingleThreadExecutor();
		try {
			Future<Boolean> committed = writer.submit(() -> repository.saveIfConfirmed(document("v2").parts(), () -> {
				written.countDown();
				return awaitOpen(confirm);
			}));
			assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
			// Another reader still sees the committed document while the write waits.
			assertThat(cachedVersion(repository(file))).isEqualTo("v1");
			confirm.countDown();
			assertThat(committed.get(10, TimeUnit.SECONDS)).isTrue();
			assertThat(cachedVersion(repository(file))).isEqualTo("v2");
		}
		finally {
			writer.shutdownNow();
		}
	}

	@Test
	void fileLockedByAnotherConnectionIsSaidToBeLockedInTheStartersWords() throws SQLException, IOException {
		Path file = this.tempDir.resolve("cache.db");
		repository(file).save(document("v1"));
		String locked = file + ": the file is locked by another process or connection writing to it (SQLITE_BUSY); "
				+ "it is tried again at the next cycle";
		// A short busy timeout: the repository gives up on the lock after 50 ms instead of the application's 1 s.
		SqliteConfigCacheRepository repository = new SqliteConfigCacheRepository(file, this.reader, this.clock, 50);
		try (Connection other = connect(file); Statement statement = other.createStatement()) {
			statement.execute("BEGIN EXCLUSIVE");
			assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(repository::load)
				.withMessage("Could not read the configuration cache " + locked);
			assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(() -> repository.save(document("v2")))
				.withMessage("Could not write the configuration cache " + locked);
			assertThatExceptionOfType(ConfigCacheException.class)
				.isThrownBy(() -> repository.saveIfConfirmed(document("v2").parts(), () -> true))
				.withMessage("Could not write the configuration cache " + locked);
			statement.execute("ROLLBACK");
		}
		assertThat(quarantined(file)).isEmpty();
		assertThat(cachedVersion(repository)).isEqualTo("v1");
	}

	private static String cachedVersion(SqliteConfigCacheRepository repository) {
		return repository.load().orElseThrow().snapshot().version();
	}

	private static boolean awaitOpen(CountDownLatch latch) {
		try {
			return latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Test
	void loadWithoutAFileIsEmptyAndCreatesNothing() {
		Path file = this.tempDir.resolve("missing/cache.db");
		assertThat(repository(file).load()).isEmpty();
		assertThat(file.getParent()).doesNotExist();
	}

	@Test
	@DisabledOnOs(OS.WINDOWS)
	void fileIsCreatedOwnerOnlyAndNewFoldersToo() throws IOException {
		Path file = this.tempDir.resolve("a/b/cache.db");
		repository(file).save(document("v1"));
		repository(file).save(document("v2"));
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		Path journal = file.resolveSibling("cache.db-journal");
		assertThat(journal).as("the journal kept between writes, which holds earlier pages").exists();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(journal))).isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
			.isEqualTo("rwx------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent().getParent())))
			.isEqualTo("rwx------");
	}

	@Test
	void schemaIsExactlyThePythonClients() throws SQLException {
		Path file = this.tempDir.resolve("cache.db");
		repository(file).save(document("v1"));
		List<String> tables = new ArrayList<>();
		try (Connection connection = connect(file);
				ResultSet result = connection.createStatement()
					.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'table'")) {
			while (result.next()) {
				tables.add(result.getString(1) + ": " + result.getString(2));
			}
		}
		assertThat(tables).containsExactly("config_cache: CREATE TABLE config_cache "
				+ "(key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)");
	}

	@Test
	void saveWritesFourRowsWithTheJsonTextOfEachPart() throws SQLException {
		Path file = this.tempDir.resolve("cache.db");
		String skills = "[{\"name\":\"caf\u00e9\", \"x\": [1, 2.50, {\"y\": null}]}]";
		String workflows = "[ {\"workflow_id\": \"w\\u0031\"} ]";
		ConfigDocument document = this.reader.readAll(("{\"version\": \"v1\", \"skills\": " + skills
				+ ", \"workflows\": " + workflows + ", \"synced_at\": \"2026-01-01T00:00:00+00:00\"}")
			.getBytes(StandardCharsets.UTF_8));
		repository(file).save(document);
		Map<String, String[]> rows = rows(file);
		assertThat(rows).containsOnlyKeys("version", "skills", "workflows", "synced_at");
		assertThat(rows.get("version")[0]).isEqualTo("\"v1\"");
		assertThat(rows.get("skills")[0]).isEqualTo(skills);
		assertThat(rows.get("workflows")[0]).isEqualTo(workflows);
		assertThat(rows.get("synced_at")[0]).isEqualTo("\"2026-01-01T00:00:00+00:00\"");
		assertThat(rows.values()).allSatisfy((row) -> assertThat(row[1]).isEqualTo("2026-03-01T12:00:00Z"));
	}

	@Test
	void valuesAreStoredAsTextInLargePagesOfANewFile() throws SQLException {
		Path file = this.tempDir.resolve("cache.db");
		repository(file).save(document("v1"));
		try (Connection connection = connect(file); Statement statement = connection.createStatement()) {
			try (ResultSet types = statement.executeQuery("SELECT DISTINCT typeof(value) FROM config_cache")) {
				assertThat(types.next()).isTrue();
				assertThat(types.getString(1)).isEqualTo("text");
				assertThat(types.next()).as("one type for every value").isFalse();
			}
			try (ResultSet pageSize = statement.executeQuery("PRAGMA page_size")) {
				assertThat(pageSize.getInt(1)).isEqualTo(SqliteConfigCacheRepository.PAGE_SIZE);
			}
		}
	}

	@Test
	void nullSyncedAtIsStoredAsJsonNull() throws SQLException {
		Path file = this.tempDir.resolve("cache.db");
		repository(file).save(this.reader.readAll("{\"version\": \"v1\"}".getBytes(StandardCharsets.UTF_8)));
		assertThat(rows(file).get("synced_at")[0]).isEqualTo("null");
		assertThat(rows(file).get("skills")[0]).isEqualTo("[]");
		assertThat(repository(file).load().orElseThrow().snapshot().syncedAt()).isNull();
	}

	@Test
	void cacheWrittenByThePythonClientIsLoaded() throws SQLException {
		Path file = this.tempDir.resolve("config_cache.db");
		writePythonCache(file, "\"v41\"",
				"[{\"name\": \"a\", \"x\": 1}, {\"name\": \"caf\\u00e9\", \"nested\": {\"k\": [1, 2.5, null, true]}}]",
				"[{\"workflow_id\": \"triage\", \"steps\": [\"a\"]}]", "\"2026-01-01T00:00:00Z\"",
				"2026-01-01T00:00:00.123456+00:00");
		ConfigDocument loaded = repository(file).load().orElseThrow();
		ConfigSnapshot snapshot = loaded.snapshot();
		assertThat(snapshot.version()).isEqualTo("v41");
		assertThat(snapshot.skillNames()).containsExactly("a", "caf\u00e9");
		assertThat(snapshot.skill("a").orElseThrow()).containsEntry("x", 1);
		assertThat(snapshot.skill("caf\u00e9").orElseThrow()).containsEntry("nested",
				Map.of("k", Arrays.asList(1, 2.5, null, true)));
		assertThat(snapshot.workflowIds()).containsExactly("triage");
		assertThat(snapshot.syncedAt()).isEqualTo("2026-01-01T00:00:00Z");
		assertThat(loaded.cachedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));
	}

	@Test
	void cacheWrittenByThePythonClientWithNullSyncedAtIsLoaded() throws SQLException {
		Path file = this.tempDir.resolve("config_cache.db");
		writePythonCache(file, "\"v1\"", "[]", "[]", "null", "2026-01-01T00:00:00+00:00");
		ConfigDocument loaded = repository(file).load().orElseThrow();
		assertThat(loaded.snapshot().syncedAt()).isNull();
		assertThat(loaded.cachedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			2026-01-01 00:00:00        | 2026-01-01T00:00:00Z
			2026-01-01 02:00:00+02:00  | 2026-01-01T00:00:00Z
			yesterday                  |
			2026-01-01                 |
			""")
	void cacheTimeIsReadInTheFormsClientsAndSqliteWriteOrIsUnknown(String updatedAt, Instant expected)
			throws SQLException {
		Path file = this.tempDir.resolve("config_cache.db");
		writePythonCache(file, "\"v1\"", "[]", "[]", "null", updatedAt);
		assertThat(repository(file).load().orElseThrow().cachedAt()).isEqualTo(expected);
	}

	@Test
	void saveOverAPythonCacheKeepsItsTableAndReplacesItsRows() throws SQLException {
		Path file = this.tempDir.resolve("config_cache.db");
		writePythonCache(file, "\"v1\"", "[]", "[]", "null", "2026-01-01T00:00:00+00:00");
		repository(file).save(document("v2"));
		assertThat(rows(file)).hasSize(4);
		assertThat(rows(file).get("version")[0]).isEqualTo("\"v2\"");
		assertThat(repository(file).load().orElseThrow().snapshot().version()).isEqualTo("v2");
	}

	@Test
	void emptyCacheTableIsEmptyAndKept() throws SQLException, IOException {
		Path file = this.tempDir.resolve("config_cache.db");
		try (Connection connection = connect(file)) {
			connection.createStatement().executeUpdate(PYTHON_SCHEMA);
		}
		assertThat(repository(file).load()).isEmpty();
		assertThat(file).exists();
		assertThat(quarantined(file)).isEmpty();
	}

	@Test
	void onlyTheNewestFilesMovedAsideAreKept() throws IOException {
		Path file = this.tempDir.resolve("cache.db");
		for (String time : List.of("20261101T000000Z", "20261102T000000Z", "20261103T000000Z", "20261104T000000Z")) {
			Files.writeString(file.resolveSibling("cache.db.corrupt-" + time), "old");
		}
		Path other = Files.writeString(this.tempDir.resolve("other.db.corrupt-20261101T000000Z"), "not ours");
		Files.writeString(file, "garbage, not a database ".repeat(100));
		assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(repository(file)::load);
		assertThat(quarantined(file)).map((path) -> path.getFileName().toString())
			.hasSize(SqliteConfigCacheRepository.SET_ASIDE_KEPT)
			.contains("cache.db.corrupt-20261104T000000Z", "cache.db.corrupt-20261103T000000Z")
			.doesNotContain("cache.db.corrupt-20261101T000000Z", "cache.db.corrupt-20261102T000000Z")
			.anySatisfy((name) -> assertThat(Files.readString(file.resolveSibling(name))).startsWith("garbage"));
		assertThat(other).exists();
	}

	@Test
	void fileThatIsNotADatabaseIsMovedAsideAndTheNextSaveWorks() throws IOException {
		Path file = this.tempDir.resolve("cache.db");
		byte[] garbage = "this is not a SQLite database, just garbage bytes\n".repeat(100)
			.getBytes(StandardCharsets.UTF_8);
		Files.write(file, garbage);
		SqliteConfigCacheRepository repository = repository(file);
		assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(repository::load)
			.withMessageContaining("cannot be used: it is not a readable SQLite database")
			.withMessageContaining("Moved it to " + file + ".corrupt-");
		List<Path> aside = quarantined(file);
		assertThat(aside).hasSize(1);
		assertThat(aside.get(0).getFileName().toString()).startsWith("cache.db.corrupt-");
		assertThat(Files.readAllBytes(aside.get(0))).isEqualTo(garbage);
		repository.save(document("v2"));
		assertThat(repository(file).load().orElseThrow().snapshot().version()).isEqualTo("v2");
	}

	@Test
	void saveOverAFileThatIsNotADatabaseMovesItAsideAndWrites() throws IOException {
		Path file = this.tempDir.resolve("cache.db");
		Files.write(file, "garbage, not a database\n".repeat(200).getBytes(StandardCharsets.UTF_8));
		SqliteConfigCacheRepository repository = repository(file);
		repository.save(document("v2"));
		assertThat(quarantined(file)).hasSize(1);
		assertThat(repository.load().orElseThrow().snapshot().version()).isEqualTo("v2");
	}

	@Test
	@DisabledOnOs(OS.WINDOWS)
	void fileBehindASymbolicLinkIsSetAsideBesideItsTargetAndTheLinkStays() throws IOException {
		Path volume = Files.createDirectories(this.tempDir.resolve("volume"));
		Path target = volume.resolve("target.db");
		Path link = Files.createSymbolicLink(this.tempDir.resolve("link.db"), Path.of("volume", "target.db"));
		repository(link).save(document("v1"));
		assertThat(volume.resolve("target.db-journal")).as("SQLite's journal, beside the link's target").exists();
		Files.writeString(target, "garbage, not a database ".repeat(100));
		SqliteConfigCacheRepository repository = repository(link);
		assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(repository::load)
			.withMessageContaining("The configuration cache " + link + " cannot be used: it is not a readable SQLite")
			.withMessageContaining("Moved " + target + ", where the link points, to " + target + ".corrupt-")
			.withMessageContaining("(the link stays); a new cache is written on the next successful pull.");
		assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("volume", "target.db"));
		assertThat(quarantined(link)).isEmpty();
		assertThat(quarantined(target)).singleElement()
			.satisfies((aside) -> assertThat(Files.readString(aside)).startsWith("garbage"));
		assertThat(volume.resolve("target.db-journal")).as("the journal of the file set aside").doesNotExist();
		repository.save(document("v2"));
		assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("volume", "target.db"));
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
		assertThat(cachedVersion(repository(target))).isEqualTo("v2");
		// The save sets a damaged file aside the same way.
		Files.writeString(target, "garbage again ".repeat(100));
		this.clock.advance(Duration.ofSeconds(1));
		repository.save(document("v3"));
		assertThat(Files.isSymbolicLink(link)).isTrue();
		assertThat(quarantined(target)).hasSize(2);
		assertThat(cachedVersion(repository(target))).isEqualTo("v3");
	}

	@Test
	@DisabledOnOs(OS.WINDOWS)
	void danglingSymbolicLinkGetsTheCacheCreatedOwnerOnlyAtItsTarget() throws IOException, SQLException {
		Path volume = Files.createDirectories(this.tempDir.resolve("volume"));
		// SQLite itself opens a dangling link's target, creating it: the repository must create that file.
		Path probe = Files.createSymbolicLink(this.tempDir.resolve("probe.db"), volume.resolve("probe-target.db"));
		connect(probe).close();
		assertThat(volume.resolve("probe-target.db")).isRegularFile();
		Path target = volume.resolve("target.db");
		Path link = Files.createSymbolicLink(this.tempDir.resolve("link.db"), target);
		SqliteConfigCacheRepository repository = repository(link);
		assertThat(repository.load()).isEmpty();
		assertThat(repository.saveIfConfirmed(document("v1").parts(), () -> true)).isFalse();
		assertThat(target).doesNotExist();
		repository.save(document("v1"));
		assertThat(Files.readSymbolicLink(link)).isEqualTo(target);
		assertThat(target).isRegularFile();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
		assertThat(cachedVersion(repository(target))).isEqualTo("v1");
		// The target removed while the link stays: it is lost, and the next save writes it again.
		Files.delete(target);
		assertThat(repository.isLost()).isTrue();
		repository.save(document("v2"));
		assertThat(Files.readSymbolicLink(link)).isEqualTo(target);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
		assertThat(cachedVersion(repository(target))).isEqualTo("v2");
		assertThat(repository.isLost()).isFalse();
	}

	@Test
	@DisabledOnOs(OS.WINDOWS)
	void danglingSymbolicLinkIntoAMissingFolderIsNotWrittenAndSaysWhy() throws IOException {
		Path unmounted = this.tempDir.resolve("unmounted");
		Path link = Files.createSymbolicLink(this.tempDir.resolve("link.db"), unmounted.resolve("target.db"));
		SqliteConfigCacheRepository repository = repository(link);
		assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(() -> repository.save(document("v1")))
			.withMessage("Could not create the configuration cache: " + link + " is a symbolic link to "
					+ unmounted.resolve("target.db") + ", whose folder does not exist (a volume not mounted, say); "
					+ "the cache is written there once it does. Create the folder, point the link at a file in a "
					+ "folder that exists, or set agentkit.sync.cache-db-path to a file of its own");
		assertThat(unmounted).doesNotExist();
		assertThat(Files.isSymbolicLink(link)).isTrue();
		Files.createDirectories(unmounted);
		repository.save(document("v1"));
		assertThat(cachedVersion(repository(unmounted.resolve("target.db")))).isEqualTo("v1");
	}

	@Test
	void invalidJsonInARowIsMovedAsideAndTheNextSaveWorks() throws SQLException, IOException {
		Path file = this.tempDir.resolve("cache.db");
		SqliteConfigCacheRepository repository = repository(file);
		repository.save(document("v1"));
		try (Connection connection = connect(file)) {
			connection.createStatement()
				.executeUpdate("UPDATE config_cache SET value = '[{\"name\": ' WHERE key = 'skills'");
		}
		assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(repository::load)
			.withMessageContaining("cannot be used: it holds an invalid configuration")
			.withMessageContaining("Moved it to");
		assertThat(quarantined(file)).hasSize(1);
		assertThat(file).doesNotExist();
		repository.save(document("v2"));
		assertThat(repository.load().orElseThrow().snapshot().version()).isEqualTo("v2");
	}

	@Test
	void rowThatIsNotUtf8IsMovedAsideAndTheNextSaveWorks() throws SQLException, IOException {
		Path file = this.tempDir.resolve("cache.db");
		SqliteConfigCacheRepository repository = repository(file);
		repository.save(document("v1"));
		try (Connection connection = connect(file)) {
			// An overlong U+0000, which Jackson's parser takes for a character.
			connection.createStatement()
				.executeUpdate("UPDATE config_cache SET value = CAST(X'5B7B226E616D65223A2261C080227D5D' AS TEXT) "
						+ "WHERE key = 'skills'");
		}
		assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(repository::load)
			.withMessageContaining("cannot be used: it holds an invalid configuration")
			.withMessageContaining("'skills' is not UTF-8")
			.withMessageContaining("Moved it to");
		repository.save(document("v2"));
		assertThat(repository.load().orElseThrow().snapshot().version()).isEqualTo("v2");
	}

	@Test
	void rowsWithoutTheVersionRowAreMovedAsideRatherThanTakenForNoCache() throws SQLException, IOException {
		Path file = this.tempDir.resolve("cache.db");
		SqliteConfigCacheRepository repository = repository(file);
		repository.save(document("v1"));
		try (Connection connection = connect(file)) {
			connection.createStatement().executeUpdate("DELETE FROM config_cache WHERE key = 'version'");
		}
		assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(repository::load)
			.withMessageContaining("cannot be used: it holds skills, synced_at, workflows but no version row")
			.withMessageContaining("Moved it to");
		assertThat(quarantined(file)).hasSize(1);
		repository.save(document("v2"));
		assertThat(repository.load().orElseThrow().snapshot().version()).isEqualTo("v2");
	}

	@Test
	void anEmptyTableIsNoCache() throws SQLException, IOException {
		Path file = this.tempDir.resolve("cache.db");
		SqliteConfigCacheRepository repository = repository(file);
		repository.save(document("v1"));
		try (Connection connection = connect(file)) {
			connection.createStatement().executeUpdate("DELETE FROM config_cache");
		}
		assertThat(repository.load()).isEmpty();
		assertThat(quarantined(file)).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("configCacheTablesOfAnotherProgram")
	void configCacheTableOfAnotherProgramIsNeitherReadNorWrittenNorMoved(String shape, String ddl, String described)
			throws SQLException, IOException {
		Path file = this.tempDir.resolve("app.db");
		try (Connection connection = connect(file); Statement statement = connection.createStatement()) {
			for (String sql : ddl.split("; ")) {
				statement.execute(sql);
			}
		}
		byte[] before = Files.readAllBytes(file);
		SqliteConfigCacheRepository repository = repository(file);
		assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(repository::load)
			.withMessageContaining(described)
			.withMessageContaining("give the cache a file of its own (agentkit.sync.cache-db-path)");
		assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(() -> repository.save(document("v1")))
			.withMessageContaining(file.toString())
			.withMessageContaining(described)
			.withMessageContaining("give the cache a file of its own (agentkit.sync.cache-db-path)");
		assertThatExceptionOfType(ConfigCacheException.class)
			.isThrownBy(() -> repository.saveIfConfirmed(document("v2").parts(), () -> true));
		assertThat(quarantined(file)).isEmpty();
		assertThat(Files.readAllBytes(file)).isEqualTo(before);
	}

	static Stream<Arguments> configCacheTablesOfAnotherProgram() {
		return Stream.of(
				arguments("other columns", "CREATE TABLE config_cache (key TEXT PRIMARY KEY, data BLOB); "
						+ "INSERT INTO config_cache VALUES ('theirs', x'00')", "(key TEXT PRIMARY KEY, data BLOB)"),
				// Rows would pile up, and a reader could take one version's skills with another's version.
				arguments("no primary key", "CREATE TABLE config_cache (key TEXT, value TEXT, updated_at TEXT)",
						"(key TEXT, value TEXT, updated_at TEXT) is not the cache's"),
				arguments("key in a wider primary key",
						"CREATE TABLE config_cache (key TEXT, value TEXT, updated_at TEXT, PRIMARY KEY (key, value))",
						"is not the cache's"),
				arguments("a required column of its own", "CREATE TABLE config_cache (key TEXT PRIMARY KEY, "
						+ "value TEXT NOT NULL, updated_at TEXT NOT NULL, owner TEXT NOT NULL)", "owner TEXT NOT NULL"),
				arguments("a view", "CREATE TABLE settings (name TEXT, body TEXT); CREATE VIEW config_cache AS "
						+ "SELECT name AS key, body AS value, '' AS updated_at FROM settings", "is a view"));
	}

	@Test
	void configCacheTableWithAnOptionalColumnOfItsOwnIsUsed() throws SQLException {
		Path file = this.tempDir.resolve("cache.db");
		try (Connection connection = connect(file); Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE config_cache (key TEXT PRIMARY KEY, value TEXT NOT NULL, "
					+ "updated_at TEXT NOT NULL, note TEXT, revision INTEGER NOT NULL DEFAULT 0)");
		}
		SqliteConfigCacheRepository repository = repository(file);
		repository.save(document("v1"));
		assertThat(cachedVersion(repository)).isEqualTo("v1");
	}

	@Test
	void invalidConfigurationInAFileSharedWithOtherTablesIsLeftInPlaceAndReplacedByTheNextSave()
			throws SQLException, IOException {
		Path file = this.tempDir.resolve("app.db");
		SqliteConfigCacheRepository repository = repository(file);
		repository.save(document("v1"));
		try (Connection connection = connect(file); Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT)");
			statement.execute("INSERT INTO orders (item) VALUES ('keep me')");
			statement.executeUpdate("UPDATE config_cache SET value = '[{\"name\": ' WHERE key = 'skills'");
		}
		assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(repository::load)
			.withMessageContaining("It is left in place because it holds other tables too (orders)");
		assertThat(quarantined(file)).isEmpty();
		repository.save(document("v2"));
		assertThat(cachedVersion(repository)).isEqualTo("v2");
		try (Connection connection = connect(file);
				ResultSet orders = connection.createStatement().executeQuery("SELECT item FROM orders")) {
			assertThat(orders.next()).isTrue();
			assertThat(orders.getString(1)).isEqualTo("keep me");
		}
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aCacheWrittenIntoAFileWithOtherDataIsWarnedOfOnce(CapturedOutput output) throws SQLException {
		Path file = this.tempDir.resolve("app.db");
		try (Connection connection = connect(file); Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)");
		}
		SqliteConfigCacheRepository repository = repository(file);
		repository.save(document("v1"));
		repository.save(document("v2"));
		assertThat(cachedVersion(repository)).isEqualTo("v2");
		assertThat(output.getOut().split("also holds other data", -1)).hasSize(2);
		assertThat(output).contains("The configuration cache " + file + " also holds other data (users): the cache "
				+ "writes only its config_cache table there and never moves the file aside. If this file is not "
				+ "meant to hold the cache, set agentkit.sync.cache-db-path to a file of its own");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aFileOfItsOwnIsNotWarnedOf(CapturedOutput output) {
		SqliteConfigCacheRepository repository = repository(this.tempDir.resolve("cache.db"));
		repository.save(document("v1"));
		assertThat(output).doesNotContain("also holds other data");
	}

	@Test
	void rowThatBreaksTheProtocolIsMovedAside() throws SQLException, IOException {
		Path file = this.tempDir.resolve("cache.db");
		writePythonCache(file, "null", "[]", "[]", "null", "2026-01-01T00:00:00+00:00");
		assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(repository(file)::load)
			.withMessageContaining("cannot be used: it holds an invalid configuration");
		assertThat(quarantined(file)).hasSize(1);
	}

	@Test
	void cachePathThatIsAFolderIsNeitherReadNorWrittenAndTheErrorSaysWhatToSet() throws IOException {
		Path folder = Files.createDirectory(this.tempDir.resolve("cache"));
		SqliteConfigCacheRepository repository = repository(folder);
		assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(repository::load)
			.withMessageContaining(folder + " is a folder, not a file");
		assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(() -> repository.save(document("v1")))
			.withMessageContaining(folder + " is a folder, not a file")
			.withMessageContaining("set agentkit.sync.cache-db-path to a file in it, such as "
					+ folder.resolve("config_cache.db"));
		try (Stream<Path> inside = Files.list(folder)) {
			assertThat(inside).isEmpty();
		}
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void anotherVersionWrittenOverOursIsWarnedOfOnceForEachVersion(CapturedOutput output) {
		Path file = this.tempDir.resolve("shared.db");
		SqliteConfigCacheRepository ours = repository(file);
		SqliteConfigCacheRepository theirs = repository(file);
		ours.save(document("v1"));
		// The same version written by another instance of the same application is no news.
		theirs.save(document("v1"));
		assertThat(ours.isLost()).isFalse();
		assertThat(output).doesNotContain("now holds version");
		theirs.save(document("other-1"));
		assertThat(ours.isLost()).isFalse();
		theirs.save(document("other-1"));
		assertThat(ours.isLost()).isFalse();
		theirs.save(document("other-2"));
		assertThat(ours.isLost()).isFalse();
		assertThat(output.getOut().split("now holds version", -1)).hasSize(3);
		assertThat(output).contains("The configuration cache " + file + " now holds version \"other-1\", written "
				+ "there since this application wrote \"v1\"")
			.contains("give each application its own agentkit.sync.cache-db-path")
			.contains("now holds version \"other-2\"");
		ours.save(document("v1"));
		assertThat(ours.isLost()).isFalse();
		assertThat(output.getOut().split("now holds version", -1)).hasSize(3);
	}

	@Test
	void fileChangedByAnotherHandIsLostOnlyWhenItHoldsNoCache() throws IOException, SQLException {
		Path file = this.tempDir.resolve("cache.db");
		SqliteConfigCacheRepository repository = repository(file);
		repository.save(document("v1"));
		assertThat(repository.isLost()).isFalse();
		// Another client writes a valid cache: it is the cache now.
		this.clock.advance(Duration.ofMinutes(1));
		repository(file).save(document("v2"));
		assertThat(repository.isLost()).isFalse();
		try (Connection connection = connect(file); Statement statement = connection.createStatement()) {
			statement.executeUpdate("DELETE FROM config_cache");
		}
		assertThat(repository.isLost()).isTrue();
		repository.save(document("v3"));
		assertThat(repository.isLost()).isFalse();
		Files.write(file, new byte[100_000]);
		assertThat(repository.isLost()).isTrue();
		repository.save(document("v4"));
		assertThat(repository.isLost()).isFalse();
		assertThat(cachedVersion(repository)).isEqualTo("v4");
		Files.delete(file);
		assertThat(repository.isLost()).isTrue();
	}

	@Test
	void saveUnderAPathWhoseParentIsARegularFileThrowsNamingTheFile() throws IOException {
		Path blocker = Files.writeString(this.tempDir.resolve("not-a-folder"), "x");
		Path file = blocker.resolve("cache.db");
		assertThatExceptionOfType(ConfigCacheException.class)
			.isThrownBy(() -> repository(file).save(document("v1")))
			.withMessageContaining(file.toString());
	}

	@Test
	void readerInATransactionSeesTheOldOrTheNewVersionNeverAMix() throws Exception {
		Path file = this.tempDir.resolve("cache.db");
		SqliteConfigCacheRepository repository = repository(file);
		repository.save(document("v1"));
		try (Connection connection = connect(file)) {
			connection.setAutoCommit(false);
			assertThat(consistentVersion(connection)).isEqualTo("v1");
			CompletableFuture<Void> save = CompletableFuture.runAsync(() -> repository.save(document("v2")));
			for (int i = 0; i < 20 && !save.isDone(); i++) {
				assertThat(consistentVersion(connection)).isEqualTo("v1");
			}
			connection.commit();
			save.get(10, TimeUnit.SECONDS);
			assertThat(consistentVersion(connection)).isEqualTo("v2");
			connection.commit();
		}
	}

	@Test
	void concurrentReadersNeverSeeRowsOfTwoVersions() throws Exception {
		Path file = this.tempDir.resolve("cache.db");
		SqliteConfigCacheRepository repository = repository(file);
		repository.save(document("v0"));
		AtomicBoolean writing = new AtomicBoolean(true);
		AtomicInteger reads = new AtomicInteger();
		Runnable reader = () -> {
			try (Connection connection = connect(file)) {
				while (writing.get()) {
					consistentVersion(connection);
					repository.load().ifPresent((loaded) -> assertStamped(loaded.snapshot()));
					reads.incrementAndGet();
				}
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		};
		CompletableFuture<Void> readers = CompletableFuture.allOf(CompletableFuture.runAsync(reader),
				CompletableFuture.runAsync(reader));
		try {
			for (int i = 1; i <= 150 && !readers.isDone(); i++) {
				repository.save(document("v" + i));
			}
		}
		finally {
			writing.set(false);
		}
		readers.get(30, TimeUnit.SECONDS);
		assertThat(reads.get()).isPositive();
		assertThat(repository.load().orElseThrow().snapshot().version()).isEqualTo("v150");
	}

	@Test
	void writerKilledAtAnyMomentLeavesOneWholeVersion() throws Exception {
		Path file = this.tempDir.resolve("cache.db");
		int lastVersion = 0;
		for (int kill = 0; kill < 3; kill++) {
			Process writer = new ProcessBuilder(
					ChildJavaCommand.of(List.of(), CacheWriterProcess.class, file.toString()))
				.redirectErrorStream(true)
				.redirectOutput(this.tempDir.resolve("writer.log").toFile())
				.start();
			try {
				int from = lastVersion;
				await().atMost(Duration.ofSeconds(30))
					.until(() -> !writer.isAlive() || savedVersion(file) > from + 20);
				assertThat(writer.isAlive()).as("the writer is running").isTrue();
			}
			finally {
				writer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
			ConfigDocument loaded = repository(file).load().orElseThrow();
			assertStamped(loaded.snapshot());
			consistentVersion(file);
			assertThat(quarantined(file)).isEmpty();
			lastVersion = Integer.parseInt(loaded.snapshot().version().substring(1));
		}
	}

	private static int savedVersion(Path file) {
		try (Connection connection = connect(file);
				ResultSet result = connection.createStatement()
					.executeQuery("SELECT value FROM config_cache WHERE key = 'version'")) {
			return result.next() ? Integer.parseInt(result.getString(1).replaceAll("[^0-9]", "")) : 0;
		}
		catch (SQLException ex) {
			return 0;
		}
	}

	private static void consistentVersion(Path file) throws SQLException {
		try (Connection connection = connect(file)) {
			consistentVersion(connection);
		}
	}

	private static void assertStamped(ConfigSnapshot snapshot) {
		String version = snapshot.version();
		assertThat(snapshot.skillNames()).containsExactly("skill-" + version);
		assertThat(snapshot.workflowIds()).containsExactly("workflow-" + version);
		assertThat(snapshot.syncedAt()).isEqualTo("synced-" + version);
	}

	/**
	 * Read the four rows in one statement and check they belong to one version.
	 */
	private static String consistentVersion(Connection connection) throws SQLException {
		Map<String, String> values = new LinkedHashMap<>();
		try (ResultSet result = connection.createStatement().executeQuery("SELECT key, value FROM config_cache")) {
			while (result.next()) {
				values.put(result.getString(1), result.getString(2));
			}
		}
		String version = values.get("version").replace("\"", "");
		assertThat(values).as("rows of one version").containsOnlyKeys("version", "skills", "workflows", "synced_at");
		assertThat(values.get("skills")).as("skills of " + version).contains("skill-" + version + "\"");
		assertThat(values.get("workflows")).as("workflows of " + version).contains("workflow-" + version + "\"");
		assertThat(values.get("synced_at")).as("synced_at of " + version).isEqualTo("\"synced-" + version + "\"");
		return version;
	}

	private ConfigDocument document(String version) {
		return this.reader.readAll(CacheWriterProcess.body(version).getBytes(StandardCharsets.UTF_8));
	}

	private SqliteConfigCacheRepository repository(Path file) {
		return new SqliteConfigCacheRepository(file, this.reader, this.clock, 10_000);
	}

	private static void writePythonCache(Path file, String version, String skills, String workflows,
			String syncedAt, String updatedAt) throws SQLException {
		try (Connection connection = connect(file)) {
			try (Statement statement = connection.createStatement()) {
				statement.executeUpdate(PYTHON_SCHEMA);
			}
			connection.setAutoCommit(false);
			try (PreparedStatement insert = connection
				.prepareStatement("INSERT OR REPLACE INTO config_cache (key, value, updated_at) VALUES (?, ?, ?)")) {
				String[][] rows = { { "version", version }, { "skills", skills }, { "workflows", workflows },
						{ "synced_at", syncedAt } };
				for (String[] row : rows) {
					insert.setString(1, row[0]);
					insert.setString(2, row[1]);
					insert.setString(3, updatedAt);
					insert.addBatch();
				}
				insert.executeBatch();
			}
			connection.commit();
		}
	}

	private static Map<String, String[]> rows(Path file) {
		Map<String, String[]> rows = new LinkedHashMap<>();
		try (Connection connection = connect(file);
				ResultSet result = connection.createStatement()
					.executeQuery("SELECT key, value, updated_at FROM config_cache")) {
			while (result.next()) {
				rows.put(result.getString(1), new String[] { result.getString(2), result.getString(3) });
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		return rows;
	}

	static List<Path> quarantined(Path file) throws IOException {
		try (Stream<Path> siblings = Files.list(file.getParent())) {
			return siblings.filter((path) -> path.getFileName().toString().startsWith(file.getFileName() + ".corrupt-"))
				.toList();
		}
	}

	private static Connection connect(Path file) throws SQLException {
		Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
		try (Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA busy_timeout = 10000");
		}
		return connection;
	}


}
