package io.agentkit.sync.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import io.agentkit.sync.ConfigDocument;
import io.agentkit.sync.ConfigDocumentReader;
import io.agentkit.sync.ConfigParts;
import io.agentkit.sync.InvalidConfigurationException;
import io.agentkit.sync.JsonText;
import io.agentkit.sync.LogText;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.TransactionStatus;
import org.springframework.util.StringUtils;

/**
 * {@link ConfigCacheRepository} in a SQLite file, through a {@link JdbcTemplate} on a
 * {@link SQLiteDataSource} of its own (never an application's {@code DataSource}).
 * <p>
 * The schema and encoding are the Python client's: table {@code config_cache (key, value,
 * updated_at)} with rows {@code version}, {@code skills}, {@code workflows} and
 * {@code synced_at}, each value the JSON text of that part, so either client reads the
 * other's file. The four rows are written in one transaction, each value bound as the
 * UTF-8 bytes it came in. A new file gets {@link #PAGE_SIZE large pages}, and the rollback
 * journal is kept between writes ({@code journal_mode=PERSIST}, file
 * {@code <name>-journal}) rather than created and deleted by each: the same atomic,
 * durable commit in about half the time. The file is created owner-only ({@code 0600},
 * its new folders {@code 0700}; SQLite gives the journal the file's mode) because
 * configurations can hold secrets. A file that is not a SQLite database, or whose content
 * is invalid, is moved aside (kept for inspection, with a {@code .corrupt-<time>} suffix;
 * the {@value #SET_ASIDE_KEPT} newest are kept, older ones deleted, so a file that keeps
 * being spoiled does not fill the disk) and rebuilt by the next save, unless it holds
 * other tables too: a file shared with other data stays in place. A cache file that is a
 * symbolic link (to a persistent volume, say) stays one: the file it points to is the one
 * moved aside, and created (when its folder exists), as SQLite opens it. A
 * {@code config_cache} that another program made (other columns, {@code key} not its
 * primary key, a view) is neither read nor written. Thread-safe.
 */
public class SqliteConfigCacheRepository implements ConfigCacheRepository {

	/**
	 * The length of an ISO-8601 date ({@code 2026-12-04}), after which the time follows.
	 */
	private static final int DATE_LENGTH = 10;

	private static final Log logger = LogFactory.getLog(SqliteConfigCacheRepository.class);

	private static final String OWN_FILE = "give the cache a file of its own (agentkit.sync.cache-db-path)";

	private static final String SCHEMA = "CREATE TABLE IF NOT EXISTS config_cache "
			+ "(key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)";

	private static final String VERSION_ROW = "SELECT value FROM config_cache WHERE key = '" + ConfigParts.VERSION
			+ "'";

	private static final String SELECT = "SELECT key, value, updated_at FROM config_cache "
			+ "WHERE key IN ('" + ConfigParts.VERSION + "', '" + ConfigParts.SKILLS + "', '" + ConfigParts.WORKFLOWS
			+ "', '" + ConfigParts.SYNCED_AT + "')";

	// The value is bound as the part's UTF-8 bytes and stored as TEXT: no String is made and encoded again.
	private static final String UPSERT = "INSERT OR REPLACE INTO config_cache (key, value, updated_at) "
			+ "VALUES (?, CAST(? AS TEXT), ?)";

	/**
	 * The page size of a new cache file. A configuration of thousands of skills is one
	 * value of megabytes; large pages write it in a fraction of the pages (and of the time)
	 * the default 4 KiB takes. A file made with other pages keeps them.
	 */
	public static final int PAGE_SIZE = 65536;

	/**
	 * The journal mode of the cache's connections: the rollback journal is kept between
	 * writes, its header cleared at each commit, rather than created and deleted by each.
	 */
	public static final SQLiteConfig.JournalMode JOURNAL_MODE = SQLiteConfig.JournalMode.PERSIST;

	/**
	 * How many files moved aside are kept; older ones are deleted.
	 */
	static final int SET_ASIDE_KEPT = 3;

	private final Path file;

	private final ConfigDocumentReader documentReader;

	private final Clock clock;

	private final JdbcTemplate jdbcTemplate;

	private final PlatformTransactionManager transactionManager;

	private final SetAsideFiles setAside;

	/**
	 * The file as this repository last wrote or checked it, or {@code null}: a file that
	 * another hand changed since is checked again.
	 */
	private volatile @Nullable FileStamp lastSeen;

	/**
	 * The JSON text of the version this repository last committed, or {@code null}.
	 */
	private volatile @Nullable String lastWrittenVersion;

	/**
	 * The version another hand last wrote over ours and that was warned of, or
	 * {@code null}: each is warned of once.
	 */
	private volatile @Nullable String foreignVersionWarned;

	/**
	 * Whether the first write looked for other tables in the file.
	 */
	private volatile boolean sharingChecked;

	/**
	 * Create a repository for the given file. Nothing is touched on disk until the first
	 * load or save.
	 * @param file the SQLite file
	 * @param documentReader the reader that validates cached documents
	 * @param clock the clock for {@code updated_at}
	 * @param busyTimeoutMillis how long a write waits for another process's lock
	 */
	public SqliteConfigCacheRepository(Path file, ConfigDocumentReader documentReader, Clock clock,
			int busyTimeoutMillis) {
		this.file = file.toAbsolutePath().normalize();
		this.documentReader = documentReader;
		this.clock = clock;
		SQLiteConfig config = new SQLiteConfig();
		config.setBusyTimeout(busyTimeoutMillis);
		config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
		config.setPageSize(PAGE_SIZE);
		config.setJournalMode(JOURNAL_MODE);
		SQLiteDataSource dataSource = new SQLiteDataSource(config);
		dataSource.setUrl("jdbc:sqlite:" + this.file);
		this.jdbcTemplate = new JdbcTemplate(dataSource);
		this.transactionManager = new DataSourceTransactionManager(dataSource);
		this.setAside = new SetAsideFiles(this.file, clock);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Opens a database in memory and queries it, which loads the SQLite driver and its
	 * native library (unpacked from the driver's jar at each start) and the JDBC classes the
	 * first load or save uses; the cache file and its folder are not touched.
	 */
	@Override
	public void prepare() {
		SQLiteDataSource inMemory = new SQLiteDataSource();
		inMemory.setUrl("jdbc:sqlite::memory:");
		try {
			new JdbcTemplate(inMemory).queryForObject("SELECT 1", Integer.class);
		}
		catch (DataAccessException ex) {
			logger.debug("Could not prepare the SQLite driver; the first load or save will say why", ex);
		}
	}

	/**
	 * Return the cache file.
	 * @return the absolute path of the file
	 */
	public Path getFile() {
		return this.file;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * A file that is not a SQLite database, or holds an invalid configuration, is moved
	 * aside first (unless it holds other tables too), and the exception says where.
	 */
	@Override
	public Optional<ConfigDocument> load() {
		if (!Files.exists(this.file)) {
			return Optional.empty();
		}
		if (Files.isDirectory(this.file)) {
			throw new ConfigCacheException("Could not read the configuration cache: " + isAFolder());
		}
		if (!Files.isRegularFile(this.file)) {
			throw new ConfigCacheException("Could not read the configuration cache: " + isNotARegularFile());
		}
		Map<String, Row> rows;
		try {
			requireTheCachesTable();
			rows = readRows();
		}
		catch (DataAccessException ex) {
			String damage = damage(ex, "readable");
			if (damage != null) {
				throw new ConfigCacheException(cannotBeUsed(damage) + ". " + this.setAside.setAside(), ex);
			}
			if (SqliteErrors.rootMessage(ex).contains("no such table")) {
				logger.debug("The configuration cache " + this.file + " has no config_cache table yet");
				return Optional.empty();
			}
			String locked = SqliteErrors.locked(ex);
			throw new ConfigCacheException("Could not read the configuration cache " + this.file + ": "
					+ ((locked != null) ? locked
							: SqliteErrors.rootMessage(ex) + accessHint(Files.isReadable(this.file), "read")),
					ex);
		}
		if (!rows.containsKey(ConfigParts.VERSION)) {
			if (rows.isEmpty()) {
				return Optional.empty();
			}
			// The four rows are written in one transaction: the version was deleted by another hand.
			throw setAsideUnlessShared("it holds " + String.join(", ", new TreeSet<>(rows.keySet()))
					+ " but no version row, so it is no configuration");
		}
		try {
			return Optional.of(this.documentReader.readParts(rows.get(ConfigParts.VERSION).value(),
					value(rows, ConfigParts.SKILLS), value(rows, ConfigParts.WORKFLOWS),
					value(rows, ConfigParts.SYNCED_AT), cachedAt(rows)));
		}
		catch (InvalidConfigurationException ex) {
			throw setAsideUnlessShared("it holds an invalid configuration (" + ex.getMessage() + ")");
		}
	}

	private Map<String, Row> readRows() {
		Map<String, Row> rows = new HashMap<>();
		this.jdbcTemplate.query(SELECT, (resultSet) -> {
			// A TEXT value read as bytes is its UTF-8 text, as the parser takes it: no String is made.
			byte[] value = resultSet.getBytes(2);
			if (value != null) {
				rows.put(resultSet.getString(1), new Row(JsonText.ofUtf8(value), resultSet.getString(3)));
			}
		});
		return rows;
	}

	@Override
	public void save(ConfigDocument document) {
		ConfigParts parts = document.parts();
		try {
			write(parts, () -> true);
		}
		catch (DataAccessException | TransactionException ex) {
			String damage = damage(ex, "writable");
			if (damage == null) {
				throw writeFailure(ex);
			}
			logger.warn(cannotBeUsed(damage) + ". " + this.setAside.setAside());
			try {
				write(parts, () -> true);
			}
			catch (DataAccessException | TransactionException retryEx) {
				throw writeFailure(retryEx);
			}
		}
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The rows are written, and most of the disk work done, before {@code confirmation} is
	 * asked: the transaction holds the file's write lock meanwhile. Without a file yet
	 * nothing is written and {@code false} is returned, so no file is created for a
	 * document that may turn out invalid; nor is a file that is not a SQLite database set
	 * aside here: {@link #save(ConfigDocument)} does both.
	 */
	@Override
	public boolean saveIfConfirmed(ConfigParts parts, BooleanSupplier confirmation) {
		if (!Files.exists(this.file)) {
			return false;
		}
		try {
			return write(parts, confirmation);
		}
		catch (DataAccessException | TransactionException ex) {
			throw writeFailure(ex);
		}
	}

	/**
	 * Return whether the cache file is gone, or was changed by another hand into one that
	 * holds no cache (overwritten, truncated, its rows deleted). Unchanged since this
	 * repository wrote it, the file costs one look at its attributes; changed, one read of
	 * its version row. A file another writer changed into a valid cache (the Python
	 * client, say) is not lost.
	 * @return {@code true} when the configuration in force should be saved again
	 */
	@Override
	public boolean isLost() {
		FileStamp stamp = FileStamp.of(this.file);
		if (stamp == null) {
			return true;
		}
		if (stamp.equals(this.lastSeen)) {
			return false;
		}
		try {
			List<String> version = this.jdbcTemplate.queryForList(VERSION_ROW, String.class);
			if (version.isEmpty()) {
				return true;
			}
			warnIfWrittenByAnother(version.get(0));
		}
		catch (DataAccessException ex) {
			return true;
		}
		this.lastSeen = stamp;
		return false;
	}

	private boolean write(ConfigParts parts, BooleanSupplier confirmation) {
		prepareFile();
		String now = this.clock.instant().toString();
		Map<String, JsonText> rows = Map.of(ConfigParts.VERSION, parts.versionJson(), ConfigParts.SKILLS,
				parts.skillsJson(), ConfigParts.WORKFLOWS, parts.workflowsJson(), ConfigParts.SYNCED_AT,
				parts.syncedAtJson());
		TransactionStatus transaction = this.transactionManager.getTransaction(TransactionDefinition.withDefaults());
		try {
			this.jdbcTemplate.execute(SCHEMA);
			requireTheCachesTable();
			warnOnceIfSharedWithOtherData();
			this.jdbcTemplate.batchUpdate(UPSERT, rows.entrySet(), rows.size(), (statement, row) -> {
				statement.setString(1, row.getKey());
				statement.setBytes(2, row.getValue().utf8());
				statement.setString(3, now);
			});
			if (!confirmation.getAsBoolean()) {
				this.transactionManager.rollback(transaction);
				return false;
			}
		}
		catch (RuntimeException | Error ex) {
			// Also on an Error: a transaction left open stays bound to this thread.
			rollback(transaction, ex);
			throw ex;
		}
		this.transactionManager.commit(transaction);
		this.lastSeen = FileStamp.of(this.file);
		this.lastWrittenVersion = new String(parts.versionJson().utf8(), StandardCharsets.UTF_8);
		return true;
	}

	/**
	 * Warn, at the first write, when the file holds other tables too: the cache then
	 * lives in another program's database, as it may be meant to, or because
	 * {@code cache-db-path} names the wrong file.
	 */
	private void warnOnceIfSharedWithOtherData() {
		if (this.sharingChecked) {
			return;
		}
		this.sharingChecked = true;
		List<String> others = CacheFileTables.otherTables(this.jdbcTemplate);
		if (!others.isEmpty()) {
			logger.warn("The configuration cache " + this.file + " also holds other data (" + LogText.of(
					String.join(", ", others), 200) + "): the cache writes only its config_cache table there and "
					+ "never moves the file aside. If this file is not meant to hold the cache, set "
					+ "agentkit.sync.cache-db-path to a file of its own");
		}
	}

	/**
	 * Warn, once for each version, that the file holds another version than the one this
	 * repository wrote: asked when the server still serves ours, so another application
	 * (or instance) writes the same file. Apps that sync from different servers would then
	 * each start, without their server, on the other's configuration.
	 */
	private void warnIfWrittenByAnother(String cachedVersion) {
		String written = this.lastWrittenVersion;
		if (written == null || written.equals(cachedVersion) || cachedVersion.equals(this.foreignVersionWarned)) {
			return;
		}
		this.foreignVersionWarned = cachedVersion;
		logger.warn("The configuration cache " + this.file + " now holds version " + LogText.of(cachedVersion)
				+ ", written there since this application wrote " + LogText.of(written)
				+ ", which its server still serves: another application, or another instance, writes the same "
				+ "file. If it syncs from another server, a start without the server loads that server's "
				+ "configuration: give each application its own agentkit.sync.cache-db-path");
	}

	/**
	 * Roll back a write that failed. After some failures (a full disk, say) SQLite has
	 * rolled the transaction back by itself, and rolling back again fails with "no
	 * transaction is active": the write's own failure is the one to report, so the
	 * rollback's is only attached to it.
	 */
	private void rollback(TransactionStatus transaction, Throwable failure) {
		try {
			this.transactionManager.rollback(transaction);
		}
		catch (TransactionException ex) {
			failure.addSuppressed(ex);
		}
	}

	private void prepareFile() {
		if (Files.isDirectory(this.file)) {
			throw new ConfigCacheException("Could not write the configuration cache: " + isAFolder());
		}
		if (Files.exists(this.file) && !Files.isRegularFile(this.file)) {
			throw new ConfigCacheException("Could not write the configuration cache: " + isNotARegularFile());
		}
		Path target = CacheFiles.linkTarget(this.file);
		try {
			Path parent = target.getParent();
			if (parent != null && !Files.isDirectory(parent)) {
				if (!target.equals(this.file)) {
					throw new ConfigCacheException("Could not create the configuration cache: " + this.file
							+ " is a symbolic link to " + target + ", whose folder does not exist (a volume not "
							+ "mounted, say); the cache is written there once it does. Create the folder, point the "
							+ "link at a file in a folder that exists, or set agentkit.sync.cache-db-path to a file "
							+ "of its own");
				}
				CacheFiles.createOwnerOnlyFolders(parent);
			}
			if (!Files.exists(target)) {
				CacheFiles.createOwnerOnlyFile(target);
			}
		}
		catch (IOException ex) {
			throw new ConfigCacheException("Could not create the configuration cache " + this.file + ": "
					+ CacheFiles.describe(ex) + "; set agentkit.sync.cache-db-path (or, where it is not set, the "
					+ "AGENTKIT_CONFIG_CACHE environment variable) to a file in a folder this process may create or "
					+ "write", ex);
		}
	}

	private String isNotARegularFile() {
		return this.file + " is not a regular file (a device, a pipe or a socket, or a link to one); set "
				+ "agentkit.sync.cache-db-path to a file of its own";
	}

	/**
	 * Return what to add to a failure when this process may not read or write the file:
	 * SQLite says only that it cannot open it.
	 */
	private String accessHint(boolean allowed, String access) {
		if (allowed || !Files.exists(this.file)) {
			return "";
		}
		String owner;
		try {
			String mode = CacheFiles.isPosix(this.file)
					? ", mode " + PosixFilePermissions.toString(Files.getPosixFilePermissions(this.file)) : "";
			owner = " (owned by " + Files.getOwner(this.file).getName() + mode + ")";
		}
		catch (IOException | UnsupportedOperationException ex) {
			owner = "";
		}
		return "; this process (user " + System.getProperty("user.name") + ") may not " + access + " the file"
				+ owner + ": give it access, or set agentkit.sync.cache-db-path to a file of its own";
	}

	private String isAFolder() {
		return this.file + " is a folder, not a file; set agentkit.sync.cache-db-path to a file in it, such as "
				+ this.file.resolve("config_cache.db");
	}

	/**
	 * Set a readable file that cannot be used aside, unless it holds tables besides the
	 * cache's: a file shared with other data stays where it is, and the next save replaces
	 * the cache's rows.
	 * @return the failure to report, saying what was done
	 */
	private ConfigCacheException setAsideUnlessShared(String reason) {
		List<String> others;
		try {
			others = CacheFileTables.otherTables(this.jdbcTemplate);
		}
		catch (DataAccessException ex) {
			others = List.of();
		}
		if (others.isEmpty()) {
			return new ConfigCacheException(cannotBeUsed(reason) + ". " + this.setAside.setAside());
		}
		return new ConfigCacheException(cannotBeUsed(reason) + ". It is left in place because it holds other "
				+ "tables too (" + String.join(", ", others) + "); the next successful pull replaces the cache's rows. "
				+ StringUtils.capitalize(OWN_FILE) + ".");
	}

	/**
	 * Refuse a file whose {@code config_cache} another program made: it is neither read
	 * nor written.
	 */
	private void requireTheCachesTable() {
		String foreign = CacheFileTables.foreignCacheTable(this.jdbcTemplate);
		if (foreign != null) {
			throw new ConfigCacheException(cannotBeUsed(foreign) + "; " + OWN_FILE);
		}
	}

	private String cannotBeUsed(String reason) {
		return "The configuration cache " + this.file + " cannot be used: " + reason;
	}

	private ConfigCacheException writeFailure(RuntimeException ex) {
		String locked = SqliteErrors.locked(ex);
		if (locked != null) {
			return new ConfigCacheException("Could not write the configuration cache " + this.file + ": " + locked, ex);
		}
		String hint = SqliteErrors.hasPrimaryCode(ex, SQLiteErrorCode.SQLITE_READONLY)
				? "; the file, its journal or its folder cannot be written (a read-only disk or mount, or their "
						+ "permissions): make them writable, or set agentkit.sync.cache-db-path to a place that is"
				: "";
		if (hint.isEmpty()) {
			hint = accessHint(Files.isWritable(this.file), "write");
		}
		return new ConfigCacheException(
				"Could not write the configuration cache " + this.file + ": " + SqliteErrors.rootMessage(ex) + hint,
				ex);
	}

	/**
	 * Return why the file that failed a read or write is a damaged database, to be set
	 * aside, or {@code null} when the failure is not the file's: SQLite finds it corrupt,
	 * not a database or shorter than its pages say, or its header is damaged in a way
	 * SQLite reports otherwise (as a read-only file, say).
	 * @param ex the failure
	 * @param usable what the file is not, "readable" or "writable"
	 */
	private @Nullable String damage(RuntimeException ex, String usable) {
		if (SqliteErrors.hasPrimaryCode(ex, SQLiteErrorCode.SQLITE_NOTADB, SQLiteErrorCode.SQLITE_CORRUPT)
				|| SqliteErrors.hasExtendedCode(ex, SQLiteErrorCode.SQLITE_IOERR_SHORT_READ)) {
			return "it is not a " + usable + " SQLite database (" + SqliteErrors.rootMessage(ex) + ")";
		}
		String header = SqliteFileHeader.damage(this.file);
		return (header != null) ? "it is not a " + usable + " SQLite database: its header is damaged (" + header
				+ "; " + SqliteErrors.rootMessage(ex) + ")" : null;
	}

	private static @Nullable JsonText value(Map<String, Row> rows, String key) {
		Row row = rows.get(key);
		return (row != null) ? row.value() : null;
	}

	private static @Nullable Instant cachedAt(Map<String, Row> rows) {
		Instant oldest = null;
		for (Row row : rows.values()) {
			Instant at = parseTime(row.updatedAt());
			if (at != null && (oldest == null || at.isBefore(oldest))) {
				oldest = at;
			}
		}
		return oldest;
	}

	/**
	 * Parse an {@code updated_at} value: ISO-8601 with an offset (as both clients write
	 * it) or without one (taken as UTC), with a {@code T} or, as SQLite's own
	 * {@code CURRENT_TIMESTAMP} writes it, a space between the date and the time.
	 */
	static @Nullable Instant parseTime(@Nullable String text) {
		if (text == null) {
			return null;
		}
		String iso = text.trim();
		if (iso.length() > DATE_LENGTH && iso.charAt(DATE_LENGTH) == ' ') {
			iso = iso.substring(0, DATE_LENGTH) + 'T' + iso.substring(DATE_LENGTH + 1);
		}
		try {
			TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, OffsetDateTime::from,
					LocalDateTime::from);
			if (parsed instanceof OffsetDateTime offsetDateTime) {
				return offsetDateTime.toInstant();
			}
			return ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	@Override
	public String toString() {
		return "SqliteConfigCacheRepository[" + this.file + "]";
	}

	/**
	 * What tells one state of the file from another without reading it.
	 *
	 * @param key the file's identity (its inode, where the system has one)
	 * @param size its size
	 * @param modified when it was last modified
	 */
	private record FileStamp(@Nullable Object key, long size, FileTime modified) {

		static @Nullable FileStamp of(Path file) {
			try {
				BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
				return attributes.isRegularFile()
						? new FileStamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime()) : null;
			}
			catch (IOException ex) {
				return null;
			}
		}

	}

	/**
	 * One row of the cache.
	 *
	 * @param value the JSON text of the part
	 * @param updatedAt when it was written, as stored
	 */
	private record Row(JsonText value, @Nullable String updatedAt) {

	}

}
