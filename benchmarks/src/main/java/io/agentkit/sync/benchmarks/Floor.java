package io.agentkit.sync.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;

import io.agentkit.sync.cache.SqliteConfigCacheRepository;
import tools.jackson.core.JsonParser;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.JsonToken;

/**
 * The least work a sync can do, measured as the floor for the engine: receive the bytes
 * over HTTP ({@link HttpURLConnection}, on the calling thread, connection kept alive),
 * parse them once with Jackson's streaming parser (every token read, every string and
 * number materialised, no object model), and write the four cache rows in one SQLite
 * transaction on an open connection, each value the UTF-8 bytes of its part as received
 * (no String made and encoded again). No validation, no index, no publication, no
 * status. Reading the cache is the mirror image: the values as bytes, parsed once.
 */
final class Floor implements AutoCloseable {

	private static final String SCHEMA = "CREATE TABLE IF NOT EXISTS config_cache "
			+ "(key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)";

	// The UTF-8 bytes go in as they came: CAST makes them TEXT without a detour through a String.
	private static final String UPSERT = "INSERT OR REPLACE INTO config_cache (key, value, updated_at) "
			+ "VALUES (?, CAST(? AS TEXT), ?)";

	private static final byte[] EMPTY_ARRAY = { '[', ']' };

	private final JsonFactory jsonFactory = new JsonFactory();

	private final URI serverUrl;

	private final Connection connection;

	/**
	 * What one floor pull or cache read saw.
	 *
	 * @param version the version
	 * @param skills the number of skills
	 */
	record Parsed(String version, int skills) {

	}

	Floor(URI serverUrl, Path cacheFile) throws SQLException {
		this.serverUrl = serverUrl;
		this.connection = DriverManager.getConnection("jdbc:sqlite:" + cacheFile);
		try (Statement statement = this.connection.createStatement()) {
			// The engine's settings: large pages for large values, a journal kept between writes.
			statement.execute("PRAGMA page_size = " + SqliteConfigCacheRepository.PAGE_SIZE);
			statement.execute("PRAGMA journal_mode = " + SqliteConfigCacheRepository.JOURNAL_MODE.getValue());
			statement.execute(SCHEMA);
		}
		this.connection.setAutoCommit(false);
	}

	Parsed pull() throws IOException, SQLException {
		byte[] body = get("/api/v1/config/all");
		String version = null;
		String syncedAt = null;
		int skills = 0;
		byte[] skillsJson = EMPTY_ARRAY;
		byte[] workflowsJson = EMPTY_ARRAY;
		try (JsonParser parser = this.jsonFactory.createParser(body)) {
			parser.nextToken();
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String field = parser.currentName();
				parser.nextToken();
				int start = (int) parser.currentTokenLocation().getByteOffset();
				switch (field) {
					case "version" -> version = parser.getString();
					case "synced_at" -> syncedAt = parser.getValueAsString();
					case "skills" -> {
						skills = countItems(parser);
						skillsJson = slice(body, start, (int) parser.currentTokenLocation().getByteOffset());
					}
					case "workflows" -> {
						countItems(parser);
						workflowsJson = slice(body, start, (int) parser.currentTokenLocation().getByteOffset());
					}
					default -> parser.skipChildren();
				}
			}
		}
		String now = Instant.now().toString();
		try (PreparedStatement upsert = this.connection.prepareStatement(UPSERT)) {
			addRow(upsert, "version", utf8("\"" + version + "\""), now);
			addRow(upsert, "skills", skillsJson, now);
			addRow(upsert, "workflows", workflowsJson, now);
			addRow(upsert, "synced_at", utf8((syncedAt != null) ? "\"" + syncedAt + "\"" : "null"), now);
			upsert.executeBatch();
		}
		this.connection.commit();
		return new Parsed(version, skills);
	}

	/**
	 * The floor of an unchanged poll: ask for the version, parse it, compare it.
	 */
	boolean versionEquals(String current) throws IOException {
		byte[] body = get("/api/v1/config/version");
		String version = null;
		try (JsonParser parser = this.jsonFactory.createParser(body)) {
			parser.nextToken();
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String field = parser.currentName();
				parser.nextToken();
				if (field.equals("version")) {
					version = parser.getString();
				}
			}
		}
		return current.equals(version);
	}

	/**
	 * The floor of a start from the cache: read the four rows in one query and parse them.
	 */
	static Parsed loadCache(JsonFactory jsonFactory, Path cacheFile) throws SQLException {
		String version = null;
		int skills = 0;
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + cacheFile);
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT key, value FROM config_cache")) {
			while (rows.next()) {
				// A TEXT value read as bytes is its UTF-8 encoding: no String is made.
				try (JsonParser parser = jsonFactory.createParser(rows.getBytes(2))) {
					parser.nextToken();
					switch (rows.getString(1)) {
						case "version" -> version = parser.getString();
						case "skills" -> skills = countItems(parser);
						default -> countItems(parser);
					}
				}
			}
		}
		return new Parsed(version, skills);
	}

	/**
	 * Parse the value at the parser's position to its end, reading every string and
	 * number, and count its top-level items.
	 */
	private static int countItems(JsonParser parser) {
		if (!parser.currentToken().isStructStart()) {
			readScalar(parser);
			return 0;
		}
		int items = 0;
		int depth = 0;
		JsonToken token = parser.currentToken();
		do {
			if (token.isStructStart()) {
				if (depth == 1) {
					items++;
				}
				depth++;
			}
			else if (token.isStructEnd()) {
				depth--;
			}
			else {
				readScalar(parser);
			}
		}
		while (depth > 0 && (token = parser.nextToken()) != null);
		return items;
	}

	private static void readScalar(JsonParser parser) {
		// The values are kept by the parser until the next token, so they are really made.
		switch (parser.currentToken()) {
			case VALUE_STRING -> parser.getString();
			case PROPERTY_NAME -> parser.currentName();
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
			default -> {
			}
		}
	}

	private byte[] get(String path) throws IOException {
		HttpURLConnection connection = (HttpURLConnection) URI.create(this.serverUrl + path)
			.toURL()
			.openConnection();
		connection.setRequestProperty("Accept", "application/json");
		connection.setConnectTimeout(30_000);
		connection.setReadTimeout(30_000);
		if (connection.getResponseCode() != 200) {
			throw new IOException("HTTP " + connection.getResponseCode() + " from " + this.serverUrl + path);
		}
		try (InputStream in = connection.getInputStream()) {
			return in.readAllBytes();
		}
	}

	private static void addRow(PreparedStatement upsert, String key, byte[] value, String now) throws SQLException {
		upsert.setString(1, key);
		upsert.setBytes(2, value);
		upsert.setString(3, now);
		upsert.addBatch();
	}

	private static byte[] slice(byte[] body, int start, int closingBracket) {
		return Arrays.copyOfRange(body, start, closingBracket + 1);
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public void close() throws SQLException {
		this.connection.close();
	}

}
