package io.agentkit.sync.endpoint;

import java.io.IOException;

import io.agentkit.sync.test.AgentKitTestServer;
import io.agentkit.sync.test.RawHttpRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConfigSyncEndpoint} over HTTP in a WebFlux application, where
 * {@link EmptyPostContentTypeWebFilter} lets a {@code POST} without a body through.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"management.endpoints.web.exposure.include=health,agentkitsync" })
class ConfigSyncEndpointReactiveWebTests {

	@RegisterExtension
	static final AgentKitTestServer server = AgentKitTestServer.start();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void syncProperties(DynamicPropertyRegistry registry) {
		server.registerSyncProperties(registry);
	}

	@Test
	void postWithoutABodyOrAContentTypeRunsOneCycle() throws Exception {
		server.serve("v2", "[{\"name\":\"summarize\"}]", "[]");
		assertThat(rawPost("/actuator/agentkitsync", "")).startsWith("HTTP/1.1 200")
			.contains("\"outcome\":\"UPDATED\"", "\"version\":\"v2\"");
		int pulls = server.allRequestCount();
		assertThat(rawPost("/actuator/agentkitsync?force=true", "Content-Length: 0\r\n")).startsWith("HTTP/1.1 200")
			.contains("\"outcome\":\"UNCHANGED\"");
		assertThat(server.allRequestCount()).isEqualTo(pulls + 1);
	}

	@Test
	void postWithAJsonBodyStillWorksAndAnotherContentTypeIsStillRefused() throws Exception {
		String body = "{\"force\": true}";
		assertThat(rawPost("/actuator/agentkitsync",
				"Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n", body))
			.startsWith("HTTP/1.1 200");
		assertThat(rawPost("/actuator/agentkitsync", "Content-Type: text/plain\r\nContent-Length: 5\r\n", "force"))
			.startsWith("HTTP/1.1 415")
			.contains("\"outcome\":\"FAILED\"", "the request's body is sent as \\\"text/plain\\\"");
	}

	@Test
	void postWithArgumentsTheEndpointDoesNotTakeOrAForceNeitherTrueNorFalseIsRefusedAndRunsNoCycle()
			throws Exception {
		rawPost("/actuator/agentkitsync", "");
		int requests = server.requests().size();
		String forced = "{\"forced\": true}";
		assertThat(rawPost("/actuator/agentkitsync",
				"Content-Type: application/json\r\nContent-Length: " + forced.length() + "\r\n", forced))
			.startsWith("HTTP/1.1 400")
			.contains("\"outcome\":\"FAILED\"", "the request has \\\"forced\\\"");
		assertThat(rawPost("/actuator/agentkitsync?force=maybe", "Content-Length: 0\r\n")).startsWith("HTTP/1.1 400")
			.contains("must be true or false, not \\\"maybe\\\"");
		assertThat(server.requests()).hasSize(requests);
	}

	private String rawPost(String path, String headers) throws IOException {
		return rawPost(path, headers, "");
	}

	private String rawPost(String path, String headers, String body) throws IOException {
		return RawHttpRequests.post(this.port, path, headers, body);
	}

}
