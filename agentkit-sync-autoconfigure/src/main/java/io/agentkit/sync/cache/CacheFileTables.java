package io.agentkit.sync.cache;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcOperations;

/**
 * What a SQLite file that is to hold the cache holds already: a {@code config_cache}
 * table that another program made (which the cache must neither read nor write: rows of a
 * table without the key as its primary key would pile up, and a reader could then take
 * one version's skills with another's version), and tables besides it (a file shared
 * with the application's own data, which must never be moved aside).
 */
final class CacheFileTables {

	private static final String TABLE = "config_cache";

	private CacheFileTables() {
	}

	/**
	 * Describe the file's {@code config_cache} when it is not a table the cache can use.
	 * @param jdbc the file's connection
	 * @return what is wrong with it, or {@code null} when there is none or it has the
	 * cache's shape (a sole primary key {@code key}, columns {@code value} and
	 * {@code updated_at}, any other column optional)
	 */
	static @Nullable String foreignCacheTable(JdbcOperations jdbc) {
		List<String> types = jdbc.queryForList("SELECT type FROM sqlite_master WHERE name = ?", String.class, TABLE);
		if (types.isEmpty()) {
			return null;
		}
		if (!"table".equals(types.get(0))) {
			return "its " + TABLE + " is a " + types.get(0) + ", not the cache's table";
		}
		List<Column> columns = jdbc.query("PRAGMA table_info(" + TABLE + ")",
				(row, number) -> new Column(row.getString("name"), row.getString("type"), row.getInt("pk"),
						row.getBoolean("notnull") && row.getString("dflt_value") == null));
		if (hasTheCachesShape(columns)) {
			return null;
		}
		return "its " + TABLE + " table ("
				+ columns.stream().map(Column::toString).collect(Collectors.joining(", "))
				+ ") is not the cache's (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL), "
				+ "so another program may use it";
	}

	/**
	 * Return the names of the file's tables and views other than {@code config_cache}.
	 * @param jdbc the file's connection
	 * @return their names, in the order SQLite lists them
	 */
	static List<String> otherTables(JdbcOperations jdbc) {
		return jdbc.queryForList("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name <> ? "
				+ "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'", String.class, TABLE);
	}

	private static boolean hasTheCachesShape(List<Column> columns) {
		boolean key = false;
		boolean value = false;
		boolean updatedAt = false;
		for (Column column : columns) {
			switch (column.name().toLowerCase(Locale.ROOT)) {
				case "key" -> key = column.primaryKeyPosition() == 1;
				case "value" -> value = column.primaryKeyPosition() == 0;
				case "updated_at" -> updatedAt = column.primaryKeyPosition() == 0;
				default -> {
					// A column of its own is fine as long as the cache's rows can leave it out.
					if (column.primaryKeyPosition() != 0 || column.required()) {
						return false;
					}
				}
			}
		}
		return key && value && updatedAt;
	}

	/**
	 * One column, as {@code PRAGMA table_info} gives it.
	 *
	 * @param name its name
	 * @param type its declared type
	 * @param primaryKeyPosition its position in the primary key, {@code 0} when not in it
	 * @param required whether a row must give it ({@code NOT NULL} without a default)
	 */
	private record Column(String name, @Nullable String type, int primaryKeyPosition, boolean required) {

		@Override
		public String toString() {
			return this.name + ((this.type != null && !this.type.isEmpty()) ? " " + this.type : "")
					+ ((this.primaryKeyPosition != 0) ? " PRIMARY KEY" : "") + (this.required ? " NOT NULL" : "");
		}

	}

}
