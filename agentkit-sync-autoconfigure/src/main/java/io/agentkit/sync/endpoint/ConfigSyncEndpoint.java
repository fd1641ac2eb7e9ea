package io.agentkit.sync.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.agentkit.sync.ConfigSnapshot;
import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.LogText;
import io.agentkit.sync.SyncReport;
import io.agentkit.sync.SyncOutcome;
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

	/**
	 * How to ask for a cycle, as the refusal of a request the operation does not take ends.
	 */
	static final String HOW_TO_ASK = "send {\"force\": true} to pull the whole configuration whatever the version "
			+ "says, or no body for a normal cycle.";

	/**
	 * The most characters of text from a request that a refusal quotes.
	 */
	static final int MAX_QUOTED_LENGTH = 60;

	private final ConfigSync configSync;

	private final Duration maxStaleness;

	private final Clock clock;

	private final Duration maxWait;

	/**
	 * Create the endpoint, whose {@code POST} waits for a cycle as long as one takes with
	 * the default request timeout of 30 s.
	 * @param configSync the engine
	 * @param maxStaleness the age beyond which the configuration is stale
	 * @param clock the clock
	 */
	public ConfigSyncEndpoint(ConfigSync configSync, Duration maxStaleness, Clock clock) {
		this(configSync, maxStaleness, clock, longestCycle(Duration.ofSeconds(30)));
	}

	/**
	 * Create the endpoint.
	 * @param configSync the engine
	 * @param maxStaleness the age beyond which the configuration is stale
	 * @param clock the clock
	 * @param maxWait the longest a {@code POST} waits for its cycle before it answers
	 * {@code FAILED}, the cycle going on in the background
	 */
	public ConfigSyncEndpoint(ConfigSync configSync, Duration maxStaleness, Clock clock, Duration maxWait) {
		this.configSync = configSync;
		this.maxStaleness = maxStaleness;
		this.clock = clock;
		this.maxWait = maxWait;
	}

	/**
	 * Return the longest a cycle takes when every request takes the whole timeout: a
	 * check and a pull, each asked again once after a {@code 401}, and the cache write.
	 * @param requestTimeout the bound on each request
	 * @return the longest cycle
	 */
	public static Duration longestCycle(Duration requestTimeout) {
		return requestTimeout.multipliedBy(4).plusSeconds(10);
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
	 * Run one sync cycle now, waiting for it at most the longest a cycle takes: a cycle
	 * stuck beyond that (a token provider that never answers, say) is answered as
	 * {@code FAILED} and goes on in the background.
	 * @param force {@code true} to pull the whole configuration whatever the version says
	 * @return {@code outcome}, {@code version}, {@code durationMs} and {@code error}
	 */
	@WriteOperation
	public Map<String, @Nullable Object> sync(@Nullable Boolean force) {
		return answerOf(this.configSync.syncNow(Boolean.TRUE.equals(force), this.maxWait));
	}

	/**
	 * Return the answer to a {@code POST} that is refused before any cycle runs.
	 * @param versionInForce the version in force
	 * @param problem what is wrong with the request and what to send instead, as a
	 * sentence that the error begins with "No sync ran: "
	 * @return {@code outcome} {@code FAILED}, the version, {@code durationMs} 0 and the
	 * problem as {@code error}
	 */
	static Map<String, @Nullable Object> refusalOf(@Nullable String versionInForce, String problem) {
		return answerOf(new SyncResult(SyncOutcome.FAILED, versionInForce, Duration.ZERO, "No sync ran: " + problem));
	}

	/**
	 * Return text from a request (a name, a value, a content type) as a refusal quotes it:
	 * in double quotes, on one line, and cut after {@value #MAX_QUOTED_LENGTH} characters.
	 * @param requestText the text
	 * @return the quoted text
	 */
	static String quoted(String requestText) {
		return "\"" + LogText.of(requestText, MAX_QUOTED_LENGTH) + "\"";
	}

	/**
	 * Return the answer to a {@code POST}.
	 * @param result what the cycle did
	 * @return {@code outcome}, {@code version}, {@code durationMs} and {@code error}
	 */
	static Map<String, @Nullable Object> answerOf(SyncResult result) {
		Map<String, @Nullable Object> answer = new LinkedHashMap<>();
		answer.put("outcome", result.outcome().name());
		answer.put("version", result.version());
		answer.put("durationMs", result.duration().toMillis());
		answer.put("error", result.error());
		return answer;
	}

}
