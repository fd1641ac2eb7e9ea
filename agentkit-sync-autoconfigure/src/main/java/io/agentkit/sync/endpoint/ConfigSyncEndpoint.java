package io.agentkit.sync.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.agentkit.sync.ConfigSnapshot;
import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.SyncReport;
import io.agentkit.sync.SyncResult;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code agentkitsync} Actuator endpoint. {@code GET}: the health details plus the
 * skill names and workflow ids. {@code POST}: one sync cycle now (joining one already
 * running), or with {@code {"force": true}} a full pull whatever the version says. A
 * {@code POST} without a body runs a cycle too, once {@link EmptyPostContentTypeFilter} or
 * {@link EmptyPostContentTypeWebFilter} has let it through.
 */
@Endpoint(id = ConfigSyncEndpoint.ID)
public class ConfigSyncEndpoint {

	/**
	 * The endpoint's id.
	 */
	public static final String ID = "agentkitsync";

	private final ConfigSync configSync;

	private final Duration maxStaleness;

	private final Clock clock;

	/**
	 * Create the endpoint.
	 * @param configSync the engine
	 * @param maxStaleness the age beyond which the configuration is stale
	 * @param clock the clock
	 */
	public ConfigSyncEndpoint(ConfigSync configSync, Duration maxStaleness, Clock clock) {
		this.configSync = configSync;
		this.maxStaleness = maxStaleness;
		this.clock = clock;
	}

	/**
	 * Describe the configuration in force.
	 * @return the health details plus {@code skillNames} and {@code workflowIds}
	 */
	@ReadOperation
	public Map<String, @Nullable Object> describe() {
		Map<String, @Nullable Object> description = new LinkedHashMap<>(
				SyncReport.of(this.configSync, this.maxStaleness, this.clock).toDetails());
		ConfigSnapshot snapshot = this.configSync.getSnapshot().orElse(null);
		description.put("skillNames", (snapshot != null) ? new ArrayList<>(snapshot.skillNames()) : List.of());
		description.put("workflowIds", (snapshot != null) ? new ArrayList<>(snapshot.workflowIds()) : List.of());
		return description;
	}

	/**
	 * Run one sync cycle now.
	 * @param force {@code true} to pull the whole configuration whatever the version says
	 * @return {@code outcome}, {@code version}, {@code durationMs} and {@code error}
	 */
	@WriteOperation
	public Map<String, @Nullable Object> sync(@Nullable Boolean force) {
		SyncResult result = this.configSync.syncNow(Boolean.TRUE.equals(force));
		Map<String, @Nullable Object> answer = new LinkedHashMap<>();
		answer.put("outcome", result.outcome().name());
		answer.put("version", result.version());
		answer.put("durationMs", result.duration().toMillis());
		answer.put("error", result.error());
		return answer;
	}

}
