package io.agentkit.sync.endpoint;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.SyncOutcome;
import io.agentkit.sync.test.AgentKitTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the {@code agentkitSync} health component in Kubernetes' probes, as the README
 * shows them: in the readiness group, not in the liveness group.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoint.health.probes.enabled=true",
				"management.endpoint.health.group.readiness.include=readinessState,agentkitSync",
				"agentkit.sync.startup-timeout=500ms" })
class ReadinessProbeTests {

	@RegisterExtension
	static final AgentKitTestServer server = AgentKitTestServer.start();

	static {
		// Down as the application starts, with no cache: no configuration in force.
		server.answerWith(503);
	}

	@LocalServerPort
	int port;

	@Autowired
	ConfigSync configSync;

	private final HttpClient httpClient = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void syncProperties(DynamicPropertyRegistry registry) {
		server.registerSyncProperties(registry);
	}

	@Test
	void readinessIsDownUntilAConfigurationIsInForceWhileLivenessStaysUp() throws Exception {
		assertThat(this.configSync.getSnapshot()).isEmpty();
		assertThat(status("/actuator/health/readiness")).isEqualTo(503);
		assertThat(status("/actuator/health/liveness")).isEqualTo(200);
		server.answerWith(200);
		server.serve("v1", "[{\"name\":\"summarize\"}]", "[]");
		assertThat(this.configSync.syncNow().outcome()).isEqualTo(SyncOutcome.UPDATED);
		assertThat(status("/actuator/health/readiness")).isEqualTo(200);
		// A server that fails later leaves the configuration in force, and the application ready.
		server.answerWith(503);
		assertThat(this.configSync.syncNow().outcome()).isEqualTo(SyncOutcome.FAILED);
		assertThat(status("/actuator/health/readiness")).isEqualTo(200);
		assertThat(status("/actuator/health/liveness")).isEqualTo(200);
	}

	private int status(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).GET().build();
		return this.httpClient.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

}
