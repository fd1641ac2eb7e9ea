package io.agentkit.sync.endpoint;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import io.agentkit.sync.test.AgentKitTestServer;
import io.agentkit.sync.test.RawHttpRequests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConfigSyncEndpoint} and the {@code agentkitSync} health component over
 * HTTP, in a full web application.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,agentkitsync",
				"management.endpoint.health.show-details=always", "agentkit.sync.token=endpoint-secret-token" })
class ConfigSyncEndpointWebTests {

	@RegisterExtension
	static final AgentKitTestServer server = AgentKitTestServer.start();

	@LocalServerPort
	int port;

	private final HttpClient httpClient = HttpClient.newHttpClient();

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	@DynamicPropertySource
	static void syncProperties(DynamicPropertyRegistry registry) {
		server.registerSyncProperties(registry);
	}

	@BeforeEach
	void serveFirstVersion() {
		server.serve("v1", "[{\"name\":\"summarize\"},{\"name\":\"translate\"}]", "[{\"workflow_id\":\"triage\"}]");
	}

	@Test
	void getDescribesConfigurationWithNamesAndIds() throws Exception {
		post("/actuator/agentkitsync", "{\"force\": true}");
		Map<String, Object> body = get("/actuator/agentkitsync");
		assertThat(body).containsEntry("source", "server")
			.containsEntry("skills", 2)
			.containsEntry("workflows", 1)
			.containsEntry("stale", false)
			.containsKeys("version", "lastSuccessAt", "serverSyncedAt", "ageSeconds", "consecutiveFailures",
					"lastError");
		assertThat(body.get("skillNames")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.containsExactly("summarize", "translate");
		assertThat(body.get("workflowIds")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.containsExactly("triage");
	}

	@Test
	void healthShowsComponentWithAllDetailKeysAndNoSecret() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/actuator/health")).GET().build());
		assertThat(response.body()).doesNotContain("endpoint-secret-token").doesNotContain("Bearer");
		Map<String, Object> component = component(this.jsonMapper.readValue(response.body(), Map.class));
		assertThat(component).containsEntry("status", "UP");
		@SuppressWarnings("unchecked")
		Map<String, Object> details = (Map<String, Object>) component.get("details");
		assertThat(details).containsKeys("version", "source", "lastSuccessAt", "serverSyncedAt", "ageSeconds",
				"stale", "skills", "workflows", "consecutiveFailures", "lastError");
		assertThat(details.get("lastError")).isNull();
	}

	@Test
	void postRunsOneCycle() throws Exception {
		server.serve("v2", "[{\"name\":\"summarize\"}]", "[]");
		Map<String, Object> answer = post("/actuator/agentkitsync", "");
		assertThat(answer).containsEntry("outcome", "UPDATED").containsEntry("version", "v2").containsKey("durationMs");
		assertThat(answer.get("error")).isNull();
		assertThat(post("/actuator/agentkitsync", "")).containsEntry("outcome", "UNCHANGED");
	}

	@Test
	void postWithoutABodyOrAContentTypeRunsOneCycleAsCurlAndScriptsSendIt() throws Exception {
		server.serve("v3", "[{\"name\":\"summarize\"}]", "[]");
		// curl -X POST sends neither a body nor Content-Length; most HTTP libraries send Content-Length: 0.
		String withoutLength = rawPost("/actuator/agentkitsync", "");
		assertThat(withoutLength).startsWith("HTTP/1.1 200").contains("\"outcome\":\"UPDATED\"", "\"version\":\"v3\"");
		int pulls = server.allRequestCount();
		String forced = rawPost("/actuator/agentkitsync?force=true", "Content-Length: 0\r\n");
		assertThat(forced).startsWith("HTTP/1.1 200").contains("\"outcome\":\"UNCHANGED\"");
		assertThat(server.allRequestCount()).isEqualTo(pulls + 1);
	}

	@Test
	@SuppressWarnings("unchecked")
	void postWithAnotherContentTypeIsRefusedSayingToSendJsonAndRunsNoCycle() throws Exception {
		post("/actuator/agentkitsync", "");
		int requests = server.requests().size();
		// What curl -d '{"force": true}' sends without -H 'Content-Type: application/json'.
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/actuator/agentkitsync"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("{\"force\": true}"))
			.build());
		assertThat(response.statusCode()).isEqualTo(415);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/json"));
		Map<String, Object> answer = this.jsonMapper.readValue(response.body(), Map.class);
		assertThat(answer).containsEntry("outcome", "FAILED").containsEntry("version", "v1");
		assertThat((String) answer.get("error"))
			.startsWith("No sync ran: the request's body is sent as \"application/x-www-form-urlencoded\"")
			.contains("Content-Type: application/json");
		assertThat(server.requests()).hasSize(requests);
		// JSON of Actuator's own media type still reaches the endpoint.
		HttpResponse<String> actuatorJson = send(HttpRequest.newBuilder(uri("/actuator/agentkitsync"))
			.header("Content-Type", "application/vnd.spring-boot.actuator.v3+json")
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build());
		assertThat(actuatorJson.statusCode()).as(actuatorJson.body()).isEqualTo(200);
	}

	@Test
	void postWithForcePullsWhateverTheVersionSays() throws Exception {
		post("/actuator/agentkitsync", "");
		int pulls = server.allRequestCount();
		Map<String, Object> answer = post("/actuator/agentkitsync", "{\"force\": true}");
		assertThat(answer.get("outcome")).isIn("UPDATED", "UNCHANGED");
		assertThat(server.allRequestCount()).isEqualTo(pulls + 1);
	}

	@Test
	void postWithArgumentsTheEndpointDoesNotTakeIsRefusedNamingThemAndRunsNoCycle() throws Exception {
		post("/actuator/agentkitsync", "");
		int requests = server.requests().size();
		Map<String, Object> forced = refusedPost("/actuator/agentkitsync", "{\"forced\": true}");
		assertThat(forced).containsEntry("outcome", "FAILED").containsEntry("version", "v1");
		assertThat((String) forced.get("error")).startsWith("No sync ran: the request has \"forced\"")
			.contains("It takes \"force\"", "{\"force\": true}");
		assertThat((String) refusedPost("/actuator/agentkitsync?dry=1", "").get("error")).contains("\"dry\"");
		assertThat(server.requests()).hasSize(requests);
	}

	@Test
	void postWithForceThatIsNeitherTrueNorFalseIsRefusedAndRunsNoCycle() throws Exception {
		post("/actuator/agentkitsync", "");
		int requests = server.requests().size();
		assertThat((String) refusedPost("/actuator/agentkitsync", "{\"force\": \"maybe\"}").get("error"))
			.startsWith("No sync ran: \"force\" must be true or false, not \"maybe\"");
		// Actuator's conversion would take 1 for true and "yes" too (Spring MVC reads the body's values as text).
		assertThat((String) refusedPost("/actuator/agentkitsync", "{\"force\": 1}").get("error")).contains("not \"1\"");
		assertThat((String) refusedPost("/actuator/agentkitsync?force=yes", "").get("error")).contains("not \"yes\"");
		assertThat((String) refusedPost("/actuator/agentkitsync?force=true&force=false", "").get("error"))
			.contains("given more than once");
		assertThat(server.requests()).hasSize(requests);
	}

	@Test
	void postWithForceAsTrueOrFalseInTheBodyOrTheQueryRunsACycle() throws Exception {
		post("/actuator/agentkitsync", "");
		int pulls = server.allRequestCount();
		assertThat(post("/actuator/agentkitsync", "{\"force\": false}")).containsEntry("outcome", "UNCHANGED");
		assertThat(post("/actuator/agentkitsync", "{\"force\": null}")).containsEntry("outcome", "UNCHANGED");
		assertThat(server.allRequestCount()).isEqualTo(pulls);
		assertThat(post("/actuator/agentkitsync?force=TRUE", "")).containsEntry("outcome", "UNCHANGED");
		assertThat(post("/actuator/agentkitsync", "{\"force\": \"true\"}")).containsEntry("outcome", "UNCHANGED");
		assertThat(server.allRequestCount()).isEqualTo(pulls + 2);
	}

	@Test
	void postReportsFailure() throws Exception {
		server.answerWith(500);
		try {
			Map<String, Object> answer = post("/actuator/agentkitsync", "");
			assertThat(answer).containsEntry("outcome", "FAILED");
			assertThat((String) answer.get("error")).contains("HTTP 500");
		}
		finally {
			server.answerWith(200);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> component(Map<String, Object> health) {
		Map<String, Object> components = (Map<String, Object>) health.get("components");
		return (Map<String, Object>) components.get("agentkitSync");
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> get(String path) throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET().build());
		assertThat(response.statusCode()).isEqualTo(200);
		return this.jsonMapper.readValue(response.body(), Map.class);
	}

	private Map<String, Object> post(String path, String json) throws Exception {
		return post(path, json, 200);
	}

	private Map<String, Object> refusedPost(String path, String json) throws Exception {
		return post(path, json, 400);
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> post(String path, String json, int expectedStatus) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
		request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
		HttpResponse<String> response = send(request.build());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
		return this.jsonMapper.readValue(response.body(), Map.class);
	}

	private String rawPost(String path, String headers) throws IOException {
		return RawHttpRequests.post(this.port, path, headers, "");
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.httpClient.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
