package io.agentkit.sync.sample.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

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
 * Tests of {@link SampleServerApplication} started on a folder with an invalid file:
 * nothing is served until the folder is valid.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class InvalidFolderAtStartupTests {

	@TempDir
	static Path configDir;

	private final HttpClient httpClient = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void configDir(DynamicPropertyRegistry registry) {
		try {
			ConfigFolderTests.write(configDir, "skills/good.json", "{\"name\":\"good\"}");
			ConfigFolderTests.write(configDir, "skills/broken.json", "{\"name\": \"broken\", ");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		registry.add("agentkit.server.config-dir", () -> configDir.toString());
	}

	@Test
	void answers503NamingTheInvalidFileUntilItIsFixed() throws Exception {
		for (String path : new String[] { "/api/v1/config/version", "/api/v1/config/all" }) {
			HttpResponse<String> response = get(path);
			assertThat(response.statusCode()).as(path).isEqualTo(503);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			JsonNode problem = JsonMapper.shared().readTree(response.body());
			assertThat(problem.get("detail").stringValue()).contains("skills/broken.json is not valid JSON")
				.contains("Fix the files");
		}
		ConfigFolderTests.write(configDir, "skills/broken.json", "{\"name\":\"broken\"}");
		HttpResponse<String> response = get("/api/v1/config/all");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(JsonMapper.shared().readTree(response.body()).get("skills").values())
			.map((skill) -> skill.get("name").stringValue())
			.containsExactly("broken", "good");
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build();
		return this.httpClient.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
