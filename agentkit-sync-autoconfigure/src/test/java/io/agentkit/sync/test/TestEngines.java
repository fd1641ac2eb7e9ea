package io.agentkit.sync.test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;

import io.agentkit.sync.ConfigDocumentReader;
import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.ConfigSyncSettings;
import io.agentkit.sync.PollSchedule;
import io.agentkit.sync.StartupMode;
import io.agentkit.sync.StaticTokenProvider;
import io.agentkit.sync.cache.SqliteConfigCacheRepository;
import io.agentkit.sync.client.WebClientConfigServerClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Builds {@link ConfigSync} engines by hand, from real parts, for tests.
 */
public final class TestEngines {

	private TestEngines() {
	}

	/**
	 * Create an engine (not started) for the given server and cache file: poll every 5
	 * minutes without jitter, server first, 5 s timeouts, events dropped.
	 * @param serverUrl the server's base URL
	 * @param cacheFile the SQLite cache file
	 * @param clock the clock
	 * @return the engine
	 */
	public static ConfigSync engine(String serverUrl, Path cacheFile, Clock clock) {
		ConfigDocumentReader reader = new ConfigDocumentReader();
		WebClientConfigServerClient client = new WebClientConfigServerClient(WebClient.builder(),
				URI.create(serverUrl), new StaticTokenProvider(null), Duration.ofSeconds(5), DataSize.ofMegabytes(64),
				false, reader, clock);
		ConfigSyncSettings settings = new ConfigSyncSettings(Duration.ofMinutes(5), 0, StartupMode.SERVER_FIRST,
				Duration.ofSeconds(5), Duration.ofSeconds(5), false);
		return new ConfigSync(client, new SqliteConfigCacheRepository(cacheFile, reader, clock, 1000), settings,
				new PollSchedule(settings.pollInterval(), 0, new Random(1)), clock, JsonMapper.builder().build(),
				(event) -> {
				});
	}

}
