package io.agentkit.sync.endpoint;


import io.agentkit.sync.test.AgentKitTestServer;
import io.agentkit.sync.test.RawHttpRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConfigSyncEndpoint} when Actuator runs on a port of its own, where the
 * management context, not the application's, must let a {@code POST} without a body
 * through.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "management.endpoints.web.exposure.include=agentkitsync" })
class ConfigSyncEndpointManagementPortTests {

	@RegisterExtension
	static final AgentKitTestServer server = AgentKitTestServer.start();

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void syncProperties(DynamicPropertyRegistry registry) {
		server.registerSyncProperties(registry);
	}

	@Test
	void postWithoutABodyOrAContentTypeRunsOneCycleOnTheManagementPort() throws Exception {
		server.serve("v2", "[{\"name\":\"summarize\"}]", "[]");
		assertThat(RawHttpRequests.post(this.managementPort, "/actuator/agentkitsync", "", ""))
			.startsWith("HTTP/1.1 200")
			.contains("\"outcome\":\"UPDATED\"", "\"version\":\"v2\"");
	}

}
