package io.agentkit.sync.sample.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BearerTokenFilter}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "agentkit.server.token=s3cret-token")
class BearerTokenFilterTests {

	@TempDir
	static Path configDir;

	private final HttpClient httpClient = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void configDir(DynamicPropertyRegistry registry) {
		registry.add("agentkit.server.config-dir", () -> configDir.toString());
	}

	@Test
	void requestWithoutTokenIsUnauthorized() throws Exception {
		assertUnauthorized(get("/api/v1/config/version", null));
		assertUnauthorized(get("/api/v1/config/all", null));
	}

	@Test
	void requestWithWrongTokenIsUnauthorized() throws Exception {
		assertUnauthorized(get("/api/v1/config/version", "Bearer wrong"));
		assertUnauthorized(get("/api/v1/config/version", "Bearer s3cret-token-but-longer"));
		assertUnauthorized(get("/api/v1/config/version", "Basic s3cret-token"));
		assertUnauthorized(get("/api/v1/config/version", "s3cret-token"));
	}

	@Test
	void requestWithTokenIsServed() throws Exception {
		HttpResponse<String> version = get("/api/v1/config/version", "Bearer s3cret-token");
		assertThat(version.statusCode()).isEqualTo(200);
		assertThat(version.body()).contains("\"version\"");
		assertThat(get("/api/v1/config/all", "Bearer s3cret-token").statusCode()).isEqualTo(200);
	}

	private void assertUnauthorized(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).isEqualTo("{\"error\":\"unauthorized\"}");
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(contentType) -> assertThat(contentType).startsWith("application/json"));
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
	}

	private HttpResponse<String> get(String path, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.httpClient.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
