package io.agentkit.sync.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

import io.agentkit.sync.StartupMode;
import io.agentkit.sync.client.BearerTokens;
import io.agentkit.sync.client.ServerUrls;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for the AgentKit configuration sync ({@code agentkit.sync.*}).
 * Never prints the token.
 */
@ConfigurationProperties("agentkit.sync")
public class AgentKitSyncProperties {

	static final String PREFIX = "agentkit.sync.";

	/**
	 * The longest duration a property may hold: ten years, past any setting that makes
	 * sense, and well within what the engine's timers count (nanoseconds, added to the
	 * time now).
	 */
	private static final Duration MAX_DURATION = Duration.ofDays(3650);

	private static final Set<String> STATUSES = Set.of("UP", "DOWN", "OUT_OF_SERVICE", "UNKNOWN");

	/**
	 * Whether to sync the AgentKit configuration. When false, the starter creates no
	 * beans.
	 */
	private boolean enabled = true;

	/**
	 * Base URL of the AgentKit server, such as https://agentkit.example.com. Required.
	 */
	private @Nullable String serverUrl;

	/**
	 * Static bearer token sent to the server. A TokenProvider bean takes precedence.
	 */
	private @Nullable String token;

	// Text, not a Path: Spring's conversion to a Path would take a jdbc: URL, say, for a resource.
	/**
	 * SQLite file that caches the configuration for offline starts: a path (a leading ~ is
	 * the user's home, a relative path is against the working folder) or a file: URL.
	 * Defaults to the AGENTKIT_CONFIG_CACHE environment variable, else
	 * ~/.agentkit/config_cache.db; a value set here overrides the variable (set
	 * AGENTKIT_SYNC_CACHE_DB_PATH to override it from the environment). Parent folders are
	 * created.
	 */
	private String cacheDbPath = defaultCacheDbPath();

	/**
	 * Time between version checks.
	 */
	private Duration pollInterval = Duration.ofMinutes(5);

	/**
	 * Bound on each HTTP request to the server (connection, headers and body), on the
	 * wait for each read, write and look at the cache file, and on the wait for a cycle in
	 * progress at shutdown.
	 */
	private Duration timeout = Duration.ofSeconds(30);

	/**
	 * Whether startup fails when neither the server nor the cache gives a configuration.
	 */
	private boolean failFast = false;

	/**
	 * Whether startup waits for the server (server-first) or puts a cached configuration
	 * in force at once and refreshes it in the background (cache-first).
	 */
	private StartupMode startupMode = StartupMode.SERVER_FIRST;

	/**
	 * Longest time startup waits for the first pull, including the cache write of a valid
	 * configuration; the pull goes on in the background after it.
	 */
	private Duration startupTimeout = Duration.ofSeconds(10);

	/**
	 * Fraction, from 0 to 1 (exclusive), by which each poll delay is varied at random.
	 */
	private double jitter = 0.1;

	/**
	 * Largest accepted body of /api/v1/config/all; a larger one fails the pull.
	 */
	private DataSize maxPayloadSize = DataSize.ofMegabytes(64);

	/**
	 * Whether a token may be sent over plain http to a host other than loopback.
	 */
	private boolean allowInsecureHttp = false;

	private final Health health = new Health();

	private final Ssl ssl = new Ssl();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getServerUrl() {
		return this.serverUrl;
	}

	public void setServerUrl(@Nullable String serverUrl) {
		this.serverUrl = serverUrl;
	}

	public @Nullable String getToken() {
		return this.token;
	}

	public void setToken(@Nullable String token) {
		this.token = token;
	}

	public String getCacheDbPath() {
		return this.cacheDbPath;
	}

	public void setCacheDbPath(String cacheDbPath) {
		this.cacheDbPath = cacheDbPath;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public boolean isFailFast() {
		return this.failFast;
	}

	public void setFailFast(boolean failFast) {
		this.failFast = failFast;
	}

	public StartupMode getStartupMode() {
		return this.startupMode;
	}

	public void setStartupMode(StartupMode startupMode) {
		this.startupMode = startupMode;
	}

	public Duration getStartupTimeout() {
		return this.startupTimeout;
	}

	public void setStartupTimeout(Duration startupTimeout) {
		this.startupTimeout = startupTimeout;
	}

	public double getJitter() {
		return this.jitter;
	}

	public void setJitter(double jitter) {
		this.jitter = jitter;
	}

	public DataSize getMaxPayloadSize() {
		return this.maxPayloadSize;
	}

	public void setMaxPayloadSize(DataSize maxPayloadSize) {
		this.maxPayloadSize = maxPayloadSize;
	}

	public boolean isAllowInsecureHttp() {
		return this.allowInsecureHttp;
	}

	public void setAllowInsecureHttp(boolean allowInsecureHttp) {
		this.allowInsecureHttp = allowInsecureHttp;
	}

	public Health getHealth() {
		return this.health;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	/**
	 * Return the server URL, checked.
	 * @return the URL
	 * @throws InvalidAgentKitSyncPropertyException when it is missing or malformed
	 */
	public URI serverUri() {
		if (this.serverUrl == null || this.serverUrl.isBlank()) {
			throw new InvalidAgentKitSyncPropertyException("server-url", null, "it is not set",
					"Set agentkit.sync.server-url to the base URL of your AgentKit server (for example "
							+ "https://agentkit.example.com), or set agentkit.sync.enabled=false to turn the sync off "
							+ "(the starter then creates no beans, so code that needs ConfigSync must be off too).");
		}
		try {
			URI uri = new URI(this.serverUrl.trim());
			String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
			if (uri.getHost() == null && uri.getRawAuthority() != null && uri.getRawAuthority().contains("_")) {
				throw new InvalidAgentKitSyncPropertyException("server-url", ServerUrls.shown(this.serverUrl.trim()),
						"its host '" + uri.getRawAuthority().replaceFirst(":\\d+$", "")
								+ "' has an underscore, which a host name cannot carry (RFC 1123)",
						"Use a host name with hyphens instead (a Docker Compose service named agentkit-server, "
								+ "say) or an IP address in agentkit.sync.server-url.");
			}
			if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
				throw new URISyntaxException(this.serverUrl, "an http or https URL with a host is needed");
			}
			if (uri.getPort() > 65535) {
				throw new InvalidAgentKitSyncPropertyException("server-url", ServerUrls.shown(this.serverUrl.trim()),
						"its port " + uri.getPort() + " is out of range (1 to 65535)",
						"Set agentkit.sync.server-url with the port the AgentKit server listens on, or none for "
								+ "the scheme's own (80 for http, 443 for https).");
			}
			if (uri.getRawUserInfo() != null) {
				throw new InvalidAgentKitSyncPropertyException("server-url", ServerUrls.shown(this.serverUrl.trim()),
						"it holds credentials (user:password@), which are never sent",
						"Remove them from agentkit.sync.server-url; the server's bearer token goes in "
								+ "agentkit.sync.token or comes from a TokenProvider bean.");
			}
			return uri;
		}
		catch (URISyntaxException ex) {
			throw new InvalidAgentKitSyncPropertyException("server-url", ServerUrls.shown(this.serverUrl),
					"it is not a valid http(s) URL (" + ex.getReason() + ")",
					"Set agentkit.sync.server-url to an absolute URL such as https://agentkit.example.com.");
		}
	}

	/**
	 * Return the cache file, checked: with spaces around it removed (a property file keeps
	 * them, and SQLite would write another file than the one the starter checks), a leading
	 * {@code ~} expanded to the user's home and a {@code file:} URL read as the file it
	 * names.
	 * @return the cache file
	 * @throws InvalidAgentKitSyncPropertyException when it is empty, a URL of another
	 * scheme ({@code jdbc:}, {@code classpath:}, {@code http:}), SQLite's in-memory
	 * {@code :memory:} or another user's home ({@code ~name})
	 */
	public Path cacheFile() {
		return CacheDbPath.toFile(this.cacheDbPath);
	}

	/**
	 * Check every value, failing on the first that cannot work.
	 * @throws InvalidAgentKitSyncPropertyException naming the property and the fix
	 */
	public void validate() {
		rejectUnresolvedPlaceholder("server-url", this.serverUrl, false);
		rejectUnresolvedPlaceholder("token", this.token, true);
		String tokenProblem = (this.token != null) ? BearerTokens.problemWith(this.token) : null;
		if (tokenProblem != null) {
			throw new InvalidAgentKitSyncPropertyException("token", "******", tokenProblem,
					"Set agentkit.sync.token to the token alone, as the server issued it, without 'Bearer '.");
		}
		rejectUnresolvedPlaceholder("cache-db-path", this.cacheDbPath, false);
		cacheFile();
		rejectUnresolvedPlaceholder("ssl.bundle", this.ssl.getBundle(), false);
		rejectUnresolvedPlaceholder("health.stale-status", this.health.getStaleStatus(), false);
		serverUri();
		requireUsableDuration("poll-interval", this.pollInterval, "5m");
		requireUsableDuration("timeout", this.timeout, "30s");
		requireUsableDuration("startup-timeout", this.startupTimeout, "10s");
		requireUsableDuration("health.max-staleness", this.health.getMaxStaleness(), "15m");
		if (Double.isNaN(this.jitter) || this.jitter < 0 || this.jitter >= 1) {
			throw new InvalidAgentKitSyncPropertyException("jitter", this.jitter,
					"it must be at least 0 and less than 1",
					"Set agentkit.sync.jitter to a fraction such as 0.1 (10 %), or 0 for no jitter.");
		}
		if (this.maxPayloadSize == null || this.maxPayloadSize.toBytes() <= 0) {
			throw new InvalidAgentKitSyncPropertyException("max-payload-size", this.maxPayloadSize,
					"it must be positive", "Set agentkit.sync.max-payload-size to a size such as 64MB.");
		}
		this.health.staleStatus();
	}

	/**
	 * Fail on a value that still holds a placeholder nothing resolved.
	 * @param secret whether the value is secret, so only the placeholder is shown
	 */
	private static void rejectUnresolvedPlaceholder(String property, @Nullable Object value, boolean secret) {
		UnresolvedPlaceholder placeholder = UnresolvedPlaceholder.in(value);
		if (placeholder != null) {
			throw new InvalidAgentKitSyncPropertyException(property, secret ? placeholder.placeholder() : value,
					"it " + placeholder.problem(), placeholder.action(PREFIX + property));
		}
	}

	/**
	 * Fail on a duration that is not positive, or longer than {@link #MAX_DURATION}.
	 */
	private static void requireUsableDuration(String property, @Nullable Duration value, String example) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw new InvalidAgentKitSyncPropertyException(property, (value != null) ? DurationText.of(value) : null,
					"it must be a positive duration",
					"Set agentkit.sync." + property + " to a positive duration such as " + example + ".");
		}
		if (value.compareTo(MAX_DURATION) > 0) {
			throw new InvalidAgentKitSyncPropertyException(property, DurationText.of(value),
					"it is longer than " + MAX_DURATION.toDays() + " days (ten years), the longest the engine times",
					"Set agentkit.sync." + property + " to a positive duration such as " + example + ".");
		}
	}

	private static String defaultCacheDbPath() {
		String fromEnvironment = System.getenv("AGENTKIT_CONFIG_CACHE");
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			return fromEnvironment;
		}
		return Path.of(System.getProperty("user.home"), ".agentkit", "config_cache.db").toString();
	}

	@Override
	public String toString() {
		return "AgentKitSyncProperties[serverUrl=" + ((this.serverUrl != null) ? ServerUrls.shown(this.serverUrl) : null)
				+ ", token=" + ((this.token != null) ? "******" : null)
				+ ", cacheDbPath=" + this.cacheDbPath + ", pollInterval=" + this.pollInterval + "]";
	}

	/**
	 * TLS properties ({@code agentkit.sync.ssl.*}).
	 */
	public static class Ssl {

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) that holds the trust material for
		 * the server's certificate, and a client certificate where the server asks for
		 * one. Without it, the JVM's default trust store is used.
		 */
		private @Nullable String bundle;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * Health indicator properties ({@code agentkit.sync.health.*}).
	 */
	public static class Health {

		/**
		 * Age (since the last successful check or pull) beyond which the configuration is
		 * stale.
		 */
		private Duration maxStaleness = Duration.ofMinutes(15);

		/**
		 * Health status reported while the configuration is stale: UP, DOWN,
		 * OUT_OF_SERVICE or UNKNOWN.
		 */
		private String staleStatus = "UP";

		public Duration getMaxStaleness() {
			return this.maxStaleness;
		}

		public void setMaxStaleness(Duration maxStaleness) {
			this.maxStaleness = maxStaleness;
		}

		public String getStaleStatus() {
			return this.staleStatus;
		}

		public void setStaleStatus(String staleStatus) {
			this.staleStatus = staleStatus;
		}

		/**
		 * Return the stale status code, checked and upper-cased.
		 * @return the status code
		 * @throws InvalidAgentKitSyncPropertyException when it is not a known status
		 */
		public String staleStatus() {
			String code = (this.staleStatus != null) ? this.staleStatus.trim().toUpperCase(Locale.ROOT) : "";
			if (!STATUSES.contains(code)) {
				throw new InvalidAgentKitSyncPropertyException("health.stale-status", this.staleStatus,
						"it is not a health status",
						"Set agentkit.sync.health.stale-status to one of UP, DOWN, OUT_OF_SERVICE or UNKNOWN.");
			}
			return code;
		}

	}

}
