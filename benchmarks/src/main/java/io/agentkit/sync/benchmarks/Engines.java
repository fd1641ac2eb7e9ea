package io.agentkit.sync.benchmarks;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;

import io.agentkit.sync.ConfigDocumentReader;
import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.ConfigSyncSettings;
import io.agentkit.sync.PollSchedule;
import io.agentkit.sync.cache.SqliteConfigCacheRepository;
import io.agentkit.sync.client.WebClientConfigServerClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Builds the engine by hand, as the auto-configuration would with the default
 * properties (see {@code AgentKitSyncAutoConfiguration}): a
 * {@link WebClientConfigServerClient}, a {@link SqliteConfigCacheRepository} and a
 * {@link ConfigSync} with default settings. No Spring context.
 */
final class Engines {

	private Engines() {
	}

	/**
	 * A running engine and the client it owns.
	 *
	 * @param sync the engine
	 * @param client its HTTP client, to close after the engine
	 * @param cache its cache repository
	 */
	record Engine(ConfigSync sync, WebClientConfigServerClient client,
			SqliteConfigCacheRepository cache) implements AutoCloseable {

		@Override
		public void close() {
			this.sync.stop();
			this.client.close();
		}

	}

	static Engine create(URI serverUrl, Path cacheFile) {
		return create(serverUrl, cacheFile, JsonMapper.builder().build());
	}

	/**
	 * Build an engine with the given mapper for typed binding, which in a Spring Boot
	 * application is the application's own {@code JsonMapper} bean.
	 */
	static Engine create(URI serverUrl, Path cacheFile, JsonMapper jsonMapper) {
		ConfigDocumentReader reader = new ConfigDocumentReader();
		Clock clock = Clock.systemUTC();
		ConfigSyncSettings settings = ConfigSyncSettings.defaults();
		WebClientConfigServerClient client = new WebClientConfigServerClient(WebClient.builder(), serverUrl,
				() -> null, Duration.ofSeconds(30), DataSize.ofMegabytes(64), false, reader, clock);
		SqliteConfigCacheRepository cache = new SqliteConfigCacheRepository(cacheFile, reader, clock, 1000);
		PollSchedule schedule = new PollSchedule(settings.pollInterval(), settings.jitter(), new Random());
		ConfigSync sync = new ConfigSync(client, cache, settings, schedule, clock, jsonMapper, (event) -> {
		});
		return new Engine(sync, client, cache);
	}

}
