package io.agentkit.sync.sample.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the sample app's HTTP API, with the starter syncing from a
 * {@link MockWebServer} that plays the AgentKit server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "agentkit.sync.poll-interval=1h", "agentkit.sync.startup-timeout=5s" })
class SampleAppApplicationTests {

	private static final String ALL = """
			{"version": "v1",
			 "skills": [{"name": "summarize", "model": "gpt-4o-mini", "parameters": {"temperature": 0.2}},
			            {"name": "translate", "model": "gpt-4o-mini"},
			            {"name": "team/summarize", "model": "gpt-4o"}],
			 "workflows": [{"workflow_id": "digest", "steps": [{"skill": "summarize"}, {"skill": "translate"}]},
			               {"workflow_id": "ops/digest", "steps": [{"skill": "team/summarize"}]}],
			 "synced_at": "2026-01-01T00:00:00Z"}
			""";

	private static final MockWebServer server = new MockWebServer();

	@TempDir
	static Path cacheDir;

	private final HttpClient httpClient = HttpClient.newHttpClient();

	private final JsonMapper jsonMapper = JsonMapper.shared();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void agentKitServer(DynamicPropertyRegistry registry) throws IOException {
		server.setDispatcher(new ConfigDispatcher());
		server.start();
		registry.add("agentkit.sync.server-url", () -> server.url("/").toString());
		registry.add("agentkit.sync.cache-db-path", () -> cacheDir.resolve("config_cache.db").toString());
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void skillsListsAllSkillsInServerOrder() throws Exception {
		JsonNode skills = getJson("/skills", 200);
		assertThat(skills.valueStream().map((skill) -> skill.get("name").stringValue())).containsExactly("summarize",
				"translate", "team/summarize");
	}

	@Test
	void skillReturnsTheSkillAsTheServerSentIt() throws Exception {
		JsonNode skill = getJson("/skills/summarize", 200);
		assertThat(skill).isEqualTo(this.jsonMapper.readTree(ALL).get("skills").get(0));
	}

	@Test
	void skillAndWorkflowWhoseKeysContainASlashAreServedAtTheirWholePath() throws Exception {
		JsonNode config = this.jsonMapper.readTree(ALL);
		assertThat(getJson("/skills/team/summarize", 200)).isEqualTo(config.get("skills").get(2));
		assertThat(getJson("/workflows/ops/digest", 200)).isEqualTo(config.get("workflows").get(1));
		assertThat(getJson("/skills/team", 404).get("name").stringValue()).isEqualTo("team");
	}

	@Test
	void unknownSkillIsNotFoundWithAProblemBody() throws Exception {
		HttpResponse<String> response = get("/skills/no-such-skill");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = this.jsonMapper.readTree(response.body());
		assertThat(problem.get("status").intValue()).isEqualTo(404);
		assertThat(problem.get("title").stringValue()).isEqualTo("Skill not found");
		assertThat(problem.get("name").stringValue()).isEqualTo("no-such-skill");
	}

	@Test
	void workflowsListsAllWorkflows() throws Exception {
		JsonNode workflows = getJson("/workflows", 200);
		assertThat(workflows.valueStream().map((workflow) -> workflow.get("workflow_id").stringValue()))
			.containsExactly("digest", "ops/digest");
	}

	@Test
	void workflowReturnsTheWorkflowAsTheServerSentIt() throws Exception {
		JsonNode workflow = getJson("/workflows/digest", 200);
		assertThat(workflow).isEqualTo(this.jsonMapper.readTree(ALL).get("workflows").get(0));
	}

	@Test
	void unknownWorkflowIsNotFoundWithAProblemBody() throws Exception {
		JsonNode problem = getJson("/workflows/no-such-workflow", 404);
		assertThat(problem.get("title").stringValue()).isEqualTo("Workflow not found");
		assertThat(problem.get("workflowId").stringValue()).isEqualTo("no-such-workflow");
	}

	@Test
	void healthShowsTheSyncedVersion() throws Exception {
		JsonNode health = getJson("/actuator/health", 200).at("/components/agentkitSync");
		assertThat(health.get("status").stringValue()).isEqualTo("UP");
		assertThat(health.at("/details/version").stringValue()).isEqualTo("v1");
		assertThat(health.at("/details/source").stringValue()).isEqualTo("server");
	}

	@Test
	void agentKitSyncEndpointIsExposed() throws Exception {
		JsonNode report = getJson("/actuator/agentkitsync", 200);
		assertThat(report.get("version").stringValue()).isEqualTo("v1");
		assertThat(report.get("skillNames").valueStream().map(JsonNode::stringValue)).containsExactly("summarize",
				"translate", "team/summarize");
	}

	@Test
	void metricsCountTheStartupCycleAndPull() throws Exception {
		assertThat(measurement("/actuator/metrics/agentkit.sync.cycles?tag=outcome:updated", "COUNT")).isEqualTo(1.0);
		assertThat(measurement("/actuator/metrics/agentkit.sync.cycles?tag=outcome:failed", "COUNT")).isZero();
		assertThat(measurement("/actuator/metrics/agentkit.sync.pull", "COUNT")).isEqualTo(1.0);
		assertThat(measurement("/actuator/metrics/agentkit.sync.pull", "TOTAL_TIME")).isPositive();
		assertThat(measurement("/actuator/metrics/agentkit.sync.skills", "VALUE")).isEqualTo(3.0);
	}

	private double measurement(String path, String statistic) throws Exception {
		JsonNode measurements = getJson(path, 200).get("measurements");
		return measurements.valueStream()
			.filter((measurement) -> measurement.get("statistic").stringValue().equals(statistic))
			.findFirst()
			.orElseThrow(() -> new AssertionError(path + " has no " + statistic + ": " + measurements))
			.get("value")
			.doubleValue();
	}

	private JsonNode getJson(String path, int expectedStatus) throws Exception {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).as("GET " + path).isEqualTo(expectedStatus);
		return this.jsonMapper.readTree(response.body());
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build();
		return this.httpClient.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static final class ConfigDispatcher extends Dispatcher {

		@Override
		public MockResponse dispatch(RecordedRequest request) {
			return switch (request.getUrl().encodedPath()) {
				case "/api/v1/config/version" -> json("{\"version\": \"v1\"}");
				case "/api/v1/config/all" -> json(ALL);
				default -> new MockResponse.Builder().code(404).build();
			};
		}

		private static MockResponse json(String body) {
			return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
		}

	}

}
