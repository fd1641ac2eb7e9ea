package io.agentkit.sync.sample.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
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
 * Integration tests for {@link SampleServerApplication}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleServerApplicationTests {

	@TempDir
	static Path configDir;

	private final HttpClient httpClient = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void configDir(DynamicPropertyRegistry registry) {
		registry.add("agentkit.server.config-dir", () -> configDir.toString());
	}

	@BeforeEach
	void writeBaseline() throws IOException {
		try (Stream<Path> files = Files.walk(configDir)) {
			List<Path> paths = files.sorted(Comparator.reverseOrder()).toList();
			for (Path path : paths) {
				if (!path.equals(configDir)) {
					Files.delete(path);
				}
			}
		}
		ConfigFolderTests.write(configDir, "skills/summarize.json",
				"{\"name\":\"summarize\",\"model\":\"gpt-4o-mini\",\"tools\":[],\"parameters\":{\"temperature\":0.2}}");
		ConfigFolderTests.write(configDir, "skills/translate.json",
				"{\"name\":\"translate\",\"model\":\"gpt-4o-mini\",\"tools\":[],\"parameters\":{\"max_tokens\":800}}");
		ConfigFolderTests.write(configDir, "workflows/digest.json",
				"{\"workflow_id\":\"digest\",\"steps\":[{\"skill\":\"summarize\"},{\"skill\":\"translate\"}]}");
	}

	@Test
	void versionReturnsVersion() throws Exception {
		HttpResponse<String> response = get("/api/v1/config/version");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(contentType) -> assertThat(contentType).startsWith("application/json"));
		JsonNode body = JsonMapper.shared().readTree(response.body());
		assertThat(body.propertyNames()).containsExactly("version");
		assertThat(body.get("version").stringValue()).matches("[0-9a-f]{16}");
	}

	@Test
	void allReturnsSkillsAndWorkflows() throws Exception {
		HttpResponse<String> response = get("/api/v1/config/all");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(contentType) -> assertThat(contentType).startsWith("application/json"));
		JsonNode body = JsonMapper.shared().readTree(response.body());
		assertThat(body.propertyNames()).containsExactly("version", "skills", "workflows", "synced_at");
		assertThat(body.get("version").stringValue()).isEqualTo(version());
		assertThat(body.get("skills").values()).map((skill) -> skill.get("name").stringValue())
			.containsExactly("summarize", "translate");
		assertThat(body.get("skills").get(0).toString()).isEqualTo(
				"{\"name\":\"summarize\",\"model\":\"gpt-4o-mini\",\"tools\":[],\"parameters\":{\"temperature\":0.2}}");
		assertThat(body.get("workflows").values()).map((workflow) -> workflow.get("workflow_id").stringValue())
			.containsExactly("digest");
		assertThat(body.get("workflows").get(0).get("steps").get(1).get("skill").stringValue()).isEqualTo("translate");
		assertThat(Instant.parse(body.get("synced_at").stringValue())).isBeforeOrEqualTo(Instant.now());
		assertThat(body.get("synced_at").stringValue()).endsWith("Z");
	}

	@Test
	void versionIsStableAndChangesAfterAnEdit() throws Exception {
		String version = version();
		assertThat(version()).isEqualTo(version);
		JsonNode all = all();
		assertThat(all.get("version").stringValue()).isEqualTo(version);
		assertThat(all()).isEqualTo(all);
		ConfigFolderTests.write(configDir, "skills/summarize.json",
				"{\"name\":\"summarize\",\"model\":\"gpt-4o\",\"tools\":[],\"parameters\":{\"temperature\":0.3}}");
		String edited = version();
		assertThat(edited).isNotEqualTo(version);
		JsonNode editedAll = all();
		assertThat(editedAll.get("version").stringValue()).isEqualTo(edited);
		assertThat(editedAll.get("skills").get(0).get("model").stringValue()).isEqualTo("gpt-4o");
		assertThat(Instant.parse(editedAll.get("synced_at").stringValue()))
			.isAfter(Instant.parse(all.get("synced_at").stringValue()));
		assertThat(version()).isEqualTo(edited);
	}

	@Test
	void invalidFileKeepsTheLastValidConfigurationServedUntilItIsFixed() throws Exception {
		String version = version();
		JsonNode all = all();
		ConfigFolderTests.write(configDir, "skills/summarize.json", "{\"name\": \"summarize\", ");
		ConfigFolderTests.write(configDir, "workflows/nameless.json", "{\"steps\": []}");
		assertThat(version()).isEqualTo(version);
		assertThat(all()).isEqualTo(all);
		ConfigFolderTests.write(configDir, "skills/summarize.json", "{\"name\":\"summarize\",\"model\":\"gpt-4o\"}");
		assertThat(version()).isEqualTo(version);
		Files.delete(configDir.resolve("workflows/nameless.json"));
		String fixed = version();
		assertThat(fixed).isNotEqualTo(version);
		assertThat(all().get("skills").get(0).get("model").stringValue()).isEqualTo("gpt-4o");
	}

	@Test
	void noTokenRequiredWhenNotConfigured() throws Exception {
		assertThat(get("/api/v1/config/version").statusCode()).isEqualTo(200);
	}

	private String version() throws Exception {
		HttpResponse<String> response = get("/api/v1/config/version");
		assertThat(response.statusCode()).isEqualTo(200);
		return JsonMapper.shared().readTree(response.body()).get("version").stringValue();
	}

	private JsonNode all() throws Exception {
		HttpResponse<String> response = get("/api/v1/config/all");
		assertThat(response.statusCode()).isEqualTo(200);
		return JsonMapper.shared().readTree(response.body());
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build();
		return this.httpClient.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
