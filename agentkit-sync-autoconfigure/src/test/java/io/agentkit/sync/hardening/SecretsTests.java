package io.agentkit.sync.hardening;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.SyncOutcome;
import io.agentkit.sync.SyncResult;
import io.agentkit.sync.TokenProvider;
import io.agentkit.sync.autoconfigure.AgentKitSyncAutoConfiguration;
import io.agentkit.sync.autoconfigure.AgentKitSyncEndpointAutoConfiguration;
import io.agentkit.sync.autoconfigure.AgentKitSyncHealthContributorAutoConfiguration;
import io.agentkit.sync.autoconfigure.AgentKitSyncMetricsAutoConfiguration;
import io.agentkit.sync.autoconfigure.AgentKitSyncProperties;
import io.agentkit.sync.client.ConfigServerClient;
import io.agentkit.sync.client.ConfigServerException;
import io.agentkit.sync.endpoint.ConfigSyncEndpoint;
import io.agentkit.sync.health.ConfigSyncHealthIndicator;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Secrets: the bearer token never appears in logs at any level (the starter's loggers,
 * Spring's web loggers and Reactor Netty's all at TRACE), in health or endpoint output,
 * in results, status or exception messages and stack traces, through a full sync, a
 * 401, a 500 and a timeout; the query of the server URL never appears in the starter's
 * logs, health or endpoint output, also when the server echoes it.
 */
class SecretsTests {

	private static final String TOKEN = "tok-5ecret-9f1c2e77-do-not-print";

	private static final String QUERY_SECRET = "key-7d0c41aa-do-not-print";

	private static final AutoConfigurations ALL = AutoConfigurations.of(AgentKitSyncAutoConfiguration.class,
			AgentKitSyncHealthContributorAutoConfiguration.class, AgentKitSyncEndpointAutoConfiguration.class,
			AgentKitSyncMetricsAutoConfiguration.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	Path temp;

	private final MockWebServer server = new MockWebServer();

	private volatile Mode mode = Mode.OK;

	private volatile String version = "v1";

	private volatile int echoStatus = 500;

	@BeforeEach
	void startServer() throws Exception {
		this.server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return answer(request);
			}

		});
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	private MockResponse answer(RecordedRequest request) {
		return switch (this.mode) {
			case OK -> new MockResponse.Builder().addHeader("Content-Type", "application/json")
				.body(request.getTarget().endsWith("/version") ? "{\"version\":\"" + this.version + "\"}"
						: StampedConfig.body(this.version, 3))
				.build();
			case UNAUTHORIZED -> new MockResponse.Builder().code(401)
				.addHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")
				.build();
			case SERVER_ERROR -> new MockResponse.Builder().code(500).body("{\"error\":\"boom\"}").build();
			case SLOW -> new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).body("{}").build();
			case ECHO -> new MockResponse.Builder().code(this.echoStatus)
				.addHeader("Content-Type", "application/json")
				.addHeader("Location", "/login?next=" + request.getTarget())
				.body("{\"detail\":\"tenant lookup failed for " + request.getTarget() + "\"}")
				.build();
		};
	}

	@Test
	void tokenNeverAppearsInLogsHealthEndpointResultsOrExceptions() {
		assertTokenNeverAppears(new ApplicationContextRunner().withConfiguration(ALL));
	}

	/**
	 * An application that turns on logging of request details for its own traffic
	 * ({@code spring.http.codecs.log-request-details}) shares its {@code WebClient.Builder}
	 * with the starter; the token must stay out of the logs all the same.
	 */
	@Test
	void tokenStaysOutOfTheLogsWhenTheApplicationLogsRequestDetails() {
		assertTokenNeverAppears(new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CodecsAutoConfiguration.class, WebClientAutoConfiguration.class))
			.withConfiguration(ALL)
			.withPropertyValues("spring.http.codecs.log-request-details=true"));
	}

	/**
	 * A server that quotes the request it got, query and all, in its error answers: the
	 * failure is reported with the query hidden, in the starter's log lines at every level
	 * and in health, endpoint and status output, also of the properties.
	 */
	@Test
	void queryOfTheServerUrlStaysOutOfTheLogsAndHealthWhenTheServerEchoesIt() {
		this.mode = Mode.ECHO;
		List<String> outputs = new ArrayList<>();
		try (LogCapture logs = LogCapture.atTrace("io.agentkit")) {
			new ApplicationContextRunner().withConfiguration(ALL)
				.withPropertyValues(
						"agentkit.sync.server-url=" + this.server.url("/base/") + "?tenant=acme&api_key=" + QUERY_SECRET,
						"agentkit.sync.cache-db-path=" + this.temp.resolve("cache.db"), "agentkit.sync.token=" + TOKEN,
						"management.endpoints.web.exposure.include=agentkitsync")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					ConfigSync sync = context.getBean(ConfigSync.class);
					for (int status : List.of(500, 403, 404, 302)) {
						this.echoStatus = status;
						SyncResult result = sync.syncNow(true);
						assertThat(result.outcome()).isEqualTo(SyncOutcome.FAILED);
						outputs.add(result.toString());
						collect(outputs, context.getBean(ConfigSyncHealthIndicator.class),
								context.getBean(ConfigSyncEndpoint.class), sync,
								context.getBean(ConfigServerClient.class));
					}
					outputs.add(context.getBean(AgentKitSyncProperties.class).toString());
					outputs.add(context.getBean(ConfigServerClient.class).toString());
				});
			assertThat(this.server.takeRequest().getTarget()).as("the query was sent")
				.isEqualTo("/base/api/v1/config/all?tenant=acme&api_key=" + QUERY_SECRET);
			assertThat(logs.text()).as("the logs")
				.contains("the server says: tenant lookup failed for /base/api/v1/config/all?[the query]")
				.doesNotContain(QUERY_SECRET);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		assertThat(outputs).anyMatch((output) -> output.contains("lookup failed for /base/api/v1/config/all?[the query]"))
			.allSatisfy((output) -> assertThat(output).doesNotContain(QUERY_SECRET));
	}

	private void assertTokenNeverAppears(ApplicationContextRunner runner) {
		List<String> outputs = new ArrayList<>();
		try (LogCapture logs = LogCapture.atTrace("io.agentkit", "org.springframework.web", "org.springframework.http",
				"reactor.netty", "io.netty")) {
			runner
				.withPropertyValues("agentkit.sync.server-url=" + this.server.url("/"),
						"agentkit.sync.cache-db-path=" + this.temp.resolve("cache.db"), "agentkit.sync.token=" + TOKEN,
						"agentkit.sync.timeout=1500ms", "management.endpoints.web.exposure.include=agentkitsync")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					ConfigSync sync = context.getBean(ConfigSync.class);
					// The first request of a cold JVM with everything at TRACE can be slow;
					// the poller retries it.
					Awaitility.await("the first full sync")
						.atMost(Duration.ofSeconds(15))
						.until(() -> "v1".equals(sync.getVersion()));
					collect(outputs, context.getBean(ConfigSyncHealthIndicator.class),
							context.getBean(ConfigSyncEndpoint.class), sync, context.getBean(ConfigServerClient.class));
					for (Mode failure : List.of(Mode.UNAUTHORIZED, Mode.SERVER_ERROR, Mode.SLOW)) {
						this.mode = failure;
						SyncResult result = sync.syncNow(true);
						assertThat(result.outcome()).as(failure.toString()).isEqualTo(SyncOutcome.FAILED);
						outputs.add(result.toString());
						collect(outputs, context.getBean(ConfigSyncHealthIndicator.class),
								context.getBean(ConfigSyncEndpoint.class), sync,
								context.getBean(ConfigServerClient.class));
					}
					this.mode = Mode.OK;
					this.version = "v2";
					assertThat(sync.syncNow()).extracting(SyncResult::outcome).isEqualTo(SyncOutcome.UPDATED);
					outputs.add(context.getBean(AgentKitSyncProperties.class).toString());
					outputs.add(context.getBean(TokenProvider.class).toString());
					outputs.add(context.getBean(ConfigServerClient.class).toString());
					outputs.add(sync.toString());
				});
			assertThat(this.server.getRequestCount()).isGreaterThan(8);
			RecordedRequest first = this.server.takeRequest();
			assertThat(first.getHeaders().get("Authorization")).as("the token was sent")
				.isEqualTo("Bearer " + TOKEN);
			String logText = logs.text();
			assertThat(logText).as("TRACE logging took effect")
				.contains("DEBUG reactor.netty")
				.contains("TRACE org.springframework.web.reactive.function.client.ExchangeFunctions");
			assertThat(logText).as("the logs").doesNotContain(TOKEN);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		assertThat(outputs).hasSizeGreaterThan(10).allSatisfy((output) -> assertThat(output).doesNotContain(TOKEN));
	}

	private static void collect(List<String> outputs, ConfigSyncHealthIndicator health, ConfigSyncEndpoint endpoint,
			ConfigSync sync, ConfigServerClient client) {
		outputs.add(json.writeValueAsString(health.health()));
		outputs.add(json.writeValueAsString(endpoint.describe()));
		outputs.add(json.writeValueAsString(endpoint.sync(false)));
		outputs.add(sync.getStatus().toString());
		Throwable failure = catchThrowable(client::fetchAll);
		if (failure != null) {
			assertThat(failure).isInstanceOf(ConfigServerException.class);
			StringWriter trace = new StringWriter();
			failure.printStackTrace(new PrintWriter(trace));
			outputs.add(trace.toString());
		}
	}

	private enum Mode {

		OK, UNAUTHORIZED, SERVER_ERROR, SLOW, ECHO

	}

}
