package io.agentkit.sync.test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.function.UnaryOperator;

import io.agentkit.sync.ConfigDocumentReader;
import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.ConfigSyncSettings;
import io.agentkit.sync.PollSchedule;
import io.agentkit.sync.StartupMode;
import io.agentkit.sync.TokenProvider;
import io.agentkit.sync.cache.ConfigCacheRepository;
import io.agentkit.sync.cache.SqliteConfigCacheRepository;
import io.agentkit.sync.client.WebClientConfigServerClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * An engine built by hand with {@code new}, as the auto-configuration builds it, for the
 * hardening tests and their child JVMs. Closing it stops the engine and releases the
 * client's connection pool.
 */
public final class TestEngine implements AutoCloseable {

	/**
	 * The engine.
	 */
	public final ConfigSync sync;

	/**
	 * The engine's server client.
	 */
	public final WebClientConfigServerClient client;

	/**
	 * The engine's cache repository.
	 */
	public final ConfigCacheRepository cache;

	private TestEngine(ConfigSync sync, WebClientConfigServerClient client, ConfigCacheRepository cache) {
		this.sync = sync;
		this.client = client;
		this.cache = cache;
	}

	/**
	 * Start building an engine for the given server and cache file.
	 * @param serverUrl the server's base URL
	 * @param cacheFile the SQLite cache file
	 * @return the builder
	 */
	public static Builder builder(String serverUrl, Path cacheFile) {
		return new Builder(serverUrl, cacheFile);
	}

	@Override
	public void close() {
		this.sync.stop();
		this.client.close();
	}

	/**
	 * Builds a {@link TestEngine}: 5 s timeouts, 10 s startup timeout, 5 minute polls without jitter, no token,
	 * server first, not failing fast.
	 */
	public static final class Builder {

		private final String serverUrl;

		private final Path cacheFile;

		private Duration timeout = Duration.ofSeconds(5);

		private Duration startupTimeout = Duration.ofSeconds(10);

		private Duration pollInterval = Duration.ofMinutes(5);

		private DataSize maxPayloadSize = DataSize.ofMegabytes(64);

		private TokenProvider tokenProvider = () -> null;

		private Clock clock = Clock.systemUTC();

		private int busyTimeoutMillis = 1000;

		private StartupMode startupMode = StartupMode.SERVER_FIRST;

		private boolean failFast;

		private UnaryOperator<ConfigCacheRepository> cacheDecorator = (cache) -> cache;

		private Builder(String serverUrl, Path cacheFile) {
			this.serverUrl = serverUrl;
			this.cacheFile = cacheFile;
		}

		public Builder timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		public Builder startupTimeout(Duration startupTimeout) {
			this.startupTimeout = startupTimeout;
			return this;
		}

		public Builder pollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
			return this;
		}

		public Builder maxPayloadSize(DataSize maxPayloadSize) {
			this.maxPayloadSize = maxPayloadSize;
			return this;
		}

		public Builder tokenProvider(TokenProvider tokenProvider) {
			this.tokenProvider = tokenProvider;
			return this;
		}

		public Builder clock(Clock clock) {
			this.clock = clock;
			return this;
		}

		public Builder busyTimeoutMillis(int busyTimeoutMillis) {
			this.busyTimeoutMillis = busyTimeoutMillis;
			return this;
		}

		public Builder startupMode(StartupMode startupMode) {
			this.startupMode = startupMode;
			return this;
		}

		public Builder failFast(boolean failFast) {
			this.failFast = failFast;
			return this;
		}

		public Builder cacheDecorator(UnaryOperator<ConfigCacheRepository> cacheDecorator) {
			this.cacheDecorator = cacheDecorator;
			return this;
		}

		/**
		 * Build the engine without starting it.
		 */
		public TestEngine build() {
			JsonMapper jsonMapper = JsonMapper.builder().build();
			ConfigDocumentReader reader = new ConfigDocumentReader();
			WebClientConfigServerClient client = new WebClientConfigServerClient(WebClient.builder(),
					URI.create(this.serverUrl), this.tokenProvider, this.timeout, this.maxPayloadSize, false, reader,
					this.clock);
			ConfigCacheRepository cache = this.cacheDecorator.apply(
					new SqliteConfigCacheRepository(this.cacheFile, reader, this.clock, this.busyTimeoutMillis));
			ConfigSyncSettings settings = new ConfigSyncSettings(this.pollInterval, 0, this.startupMode,
					this.startupTimeout, this.timeout, this.failFast);
			ConfigSync sync = new ConfigSync(client, cache, settings, new PollSchedule(this.pollInterval, 0, new Random()),
					this.clock, jsonMapper, (event) -> {
					});
			return new TestEngine(sync, client, cache);
		}

		/**
		 * Build the engine and start it.
		 */
		public TestEngine start() {
			TestEngine engine = build();
			engine.sync.start();
			return engine;
		}

	}

}
