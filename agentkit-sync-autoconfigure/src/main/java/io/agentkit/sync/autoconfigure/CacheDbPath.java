package io.agentkit.sync.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.util.ResourceUtils;

/**
 * Reads a {@code cache-db-path} value as the cache file it names. The value is bound as
 * text and read here, never by Spring's conversion to a {@link Path}, which takes some
 * values for resources: a {@code jdbc:} URL for a file in a web server's temporary
 * folder (lost at each restart), {@code classpath:} for a class path resource, and a
 * relative path, in some applications, for one below the servlet context.
 * <p>
 * A value is a path on this machine, relative ones to the working folder. A leading
 * {@code ~} is the user's home, as a shell would read it (the JVM expands no {@code ~}); a
 * {@code file:} URL is the file it names, as Spring reads it ({@code file:/x.db} is
 * {@code /x.db}, {@code file:x.db} is {@code x.db}). A URL of any other scheme (a
 * Windows drive letter, {@code C:\x.db}, is not one), SQLite's in-memory database
 * {@code :memory:}, {@code ~name} and a {@code file:} URL with SQLite's parameters are
 * refused, saying what to write instead.
 */
final class CacheDbPath {

	private static final String PROPERTY = "cache-db-path";

	private static final String NAME = AgentKitSyncProperties.PREFIX + PROPERTY;

	private static final String SET = "Set " + NAME + " (or, where it is not set, the AGENTKIT_CONFIG_CACHE environment variable) to ";

	private static final String OR_DEFAULT = ", or remove it to use the default (the AGENTKIT_CONFIG_CACHE "
			+ "environment variable, else ~/.agentkit/config_cache.db).";

	private static final String A_FILE = "the path of a file on this machine, such as "
			+ "/var/lib/agentkit/config_cache.db";

	/**
	 * A URL's scheme and the rest: two characters at least, so that a drive letter
	 * ({@code C:\x.db}) is not one.
	 */
	private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+\\*?):(.*)", Pattern.DOTALL);

	private static final String IN_MEMORY = ":memory:";

	private CacheDbPath() {
	}

	/**
	 * Return the cache file a value names.
	 * @param value the value as bound, spaces around it included
	 * @return the file, relative when the value is
	 * @throws InvalidAgentKitSyncPropertyException when the value names no file the cache
	 * can live in, saying what to write instead
	 */
	static Path toFile(String value) {
		String text = value.strip();
		if (text.isEmpty()) {
			throw new InvalidAgentKitSyncPropertyException(PROPERTY, value, "it is empty",
					"Set " + NAME + " to the SQLite file to cache in" + OR_DEFAULT);
		}
		Matcher url = SCHEME.matcher(text);
		if (!url.matches()) {
			return toPath(value, text);
		}
		String scheme = url.group(1).toLowerCase(Locale.ROOT);
		if (scheme.equals("file")) {
			return fromFileUrl(value, text);
		}
		if (scheme.equals("jdbc") && url.group(2).regionMatches(true, 0, "sqlite:", 0, 7)) {
			String rest = url.group(2).substring(7);
			if (rest.isBlank()) {
				throw new InvalidAgentKitSyncPropertyException(PROPERTY, value,
						"it is a JDBC URL (jdbc:sqlite:) that names no file", SET + A_FILE + OR_DEFAULT);
			}
			Path file = toFile(value, rest);
			throw new InvalidAgentKitSyncPropertyException(PROPERTY, value,
					"it is a JDBC URL (jdbc:sqlite:), not a path; the starter makes the cache's JDBC URL itself",
					"Write the file's path alone: " + NAME + "=" + (rest.regionMatches(true, 0, "file:", 0, 5)
							? file : rest.strip()) + ".");
		}
		if (scheme.equals("classpath") || scheme.equals("classpath*")) {
			throw new InvalidAgentKitSyncPropertyException(PROPERTY, value,
					"it is a class path resource (classpath:), which is read from the application's jar or folders "
							+ "and cannot hold a cache that is written",
					SET + A_FILE + OR_DEFAULT);
		}
		throw new InvalidAgentKitSyncPropertyException(PROPERTY, value,
				"it is a URL (" + scheme + ":), not the path of a file; the cache is a SQLite file on this machine",
				SET + A_FILE + OR_DEFAULT);
	}

	/**
	 * Return the file a value names, failing as on the value given: for the path inside
	 * a {@code jdbc:sqlite:} URL, say.
	 */
	private static Path toFile(String value, String text) {
		try {
			return toFile(text);
		}
		catch (InvalidAgentKitSyncPropertyException ex) {
			throw new InvalidAgentKitSyncPropertyException(PROPERTY, value, ex.getProblem(), ex.getAction());
		}
	}

	/**
	 * Return the file a {@code file:} URL names: that of its path, decoded, for
	 * {@code file:/x.db} and {@code file:///x.db}; that of the rest, read as a path, for
	 * {@code file:x.db}.
	 */
	private static Path fromFileUrl(String value, String text) {
		URI uri;
		try {
			// As Spring reads a location: a space may stand for itself.
			uri = ResourceUtils.toURI(text);
		}
		catch (URISyntaxException ex) {
			throw new InvalidAgentKitSyncPropertyException(PROPERTY, value,
					"it is a file: URL that cannot be read (" + ex.getReason() + ")",
					SET + A_FILE + ", written as a path rather than a URL.");
		}
		String parameters = uri.isOpaque() && uri.getRawSchemeSpecificPart().contains("?")
				? uri.getRawSchemeSpecificPart().substring(uri.getRawSchemeSpecificPart().indexOf('?'))
				: (uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : null;
		if (parameters != null || uri.getRawFragment() != null) {
			throw new InvalidAgentKitSyncPropertyException(PROPERTY, value,
					"it is a file: URL with "
							+ ((parameters != null) ? "parameters (" + parameters + ")" : "a fragment")
							+ ", which the starter does not pass to SQLite; the cache sets its own",
					SET + "the file's path alone, without parameters.");
		}
		if (uri.isOpaque()) {
			return toPath(value, uri.getSchemeSpecificPart());
		}
		try {
			return Path.of(uri);
		}
		catch (IllegalArgumentException | FileSystemNotFoundException ex) {
			throw new InvalidAgentKitSyncPropertyException(PROPERTY, value,
					"it is a file: URL of no file on this machine (" + ex.getMessage() + ")",
					SET + A_FILE + ", written as a path rather than a URL.");
		}
	}

	private static Path toPath(String value, String text) {
		if (text.equals(IN_MEMORY)) {
			throw new InvalidAgentKitSyncPropertyException(PROPERTY, value,
					"it is SQLite's name for a database in memory, which is gone when the application stops, so it "
							+ "cannot be a cache that survives a restart (the starter would write a file named "
							+ IN_MEMORY + ")",
					SET + A_FILE + OR_DEFAULT + " An application that wants no cache file declares a "
							+ "ConfigCacheRepository bean of its own.");
		}
		if (text.equals("~") || text.startsWith("~/") || text.startsWith("~\\")) {
			return Path.of(System.getProperty("user.home") + text.substring(1));
		}
		if (text.startsWith("~")) {
			String home = text.split("[/\\\\]", 2)[0];
			throw new InvalidAgentKitSyncPropertyException(PROPERTY, value,
					"it starts with " + home + ", which nothing expands: the starter expands a ~ alone (to this "
							+ "user's home) and the JVM none, so the cache would go to a folder named '" + home + "'",
					SET + "the full path of the file, such as /home/" + home.substring(1)
							+ "/.agentkit/config_cache.db.");
		}
		try {
			return Path.of(text);
		}
		catch (InvalidPathException ex) {
			throw new InvalidAgentKitSyncPropertyException(PROPERTY, value,
					"it is not a path this system can open (" + ex.getMessage() + ")", SET + A_FILE + OR_DEFAULT);
		}
	}

}
