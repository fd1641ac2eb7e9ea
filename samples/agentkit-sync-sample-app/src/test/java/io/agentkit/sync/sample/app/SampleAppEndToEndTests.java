package io.agentkit.sync.sample.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import io.agentkit.sync.sample.server.SampleServerApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests of the sample app against the sample server, both run in-process on
 * random ports: the app follows the server's configuration folder, keeps serving when
 * the server goes away, and starts from its cache while the server is down.
 */
class SampleAppEndToEndTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final HttpClient httpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final JsonMapper jsonMapper = JsonMapper.shared();

	@TempDir
	private Path tempDir;

	private Path configDir;

	private ConfigurableApplicationContext server;

	private int serverPort;

	private ConfigurableApplicationContext app;

	private int appPort;

	@BeforeEach
	void startServer() throws IOException {
		this.configDir = this.tempDir.resolve("config");
		copyFolder(Path.of("../config"), this.configDir);
		// The test classpath holds the starter and this app's application.yml; the server
		// must not sync with anything itself
		this.server = new SpringApplicationBuilder(SampleServerApplication.class).run("--server.port=0",
				"--agentkit.server.config-dir=" + this.configDir, "--agentkit.sync.enabled=false",
				"--spring.application.name=agentkit-sync-sample-server");
		this.serverPort = localPort(this.server);
	}

	@AfterEach
	void stopAll() {
		if (this.app != null) {
			this.app.close();
		}
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void startsWithTheServersConfigurationAndServesIt() throws Exception {
		startApp();
		JsonNode health = agentKitSyncHealth();
		assertThat(health.get("status").stringValue()).isEqualTo("UP");
		assertThat(health.at("/details/version").stringValue()).isEqualTo(serverVersion());
		assertThat(health.at("/details/source").stringValue()).isEqualTo("server");
		assertThat(health.at("/details/skills").intValue()).isEqualTo(5);
		assertThat(health.at("/details/workflows").intValue()).isEqualTo(2);
		assertThat(getJson("/skills/summarize")).isEqualTo(readFile("skills/summarize.json"));
		assertThat(getJson("/workflows/support-triage")).isEqualTo(readFile("workflows/support-triage.json"));
		assertThat(getJson("/skills").valueStream().map((skill) -> skill.get("name").stringValue()))
			.containsExactlyInAnyOrder("classify-ticket", "draft-reply", "extract-entities", "summarize", "translate");
		HttpResponse<String> missing = get(this.appPort, "/skills/no-such-skill");
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	@Test
	void followsAnEditOnTheServer() throws Exception {
		startApp();
		String oldVersion = serverVersion();
		ObjectNode skill = (ObjectNode) readFile("skills/summarize.json");
		skill.put("model", "gpt-4o");
		Files.writeString(this.configDir.resolve("skills/summarize.json"), skill.toPrettyString());
		String newVersion = serverVersion();
		assertThat(newVersion).isNotEqualTo(oldVersion);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(agentKitSyncHealth().at("/details/version").stringValue())
				.isEqualTo(newVersion));
		assertThat(getJson("/skills/summarize")).isEqualTo(skill);
	}

	@Test
	void keepsServingItsVersionWhenTheServerStops() throws Exception {
		startApp();
		String version = serverVersion();
		this.server.close();
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(agentKitSyncHealth().at("/details/lastError").isNull()).isFalse());
		JsonNode health = agentKitSyncHealth();
		assertThat(health.get("status").stringValue()).isEqualTo("UP");
		assertThat(health.at("/details/version").stringValue()).isEqualTo(version);
		assertThat(health.at("/details/consecutiveFailures").intValue()).isPositive();
		assertThat(getJson("/skills/summarize")).isEqualTo(readFile("skills/summarize.json"));
	}

	@Test
	void startsFromItsCacheWhileTheServerIsDown() throws Exception {
		startApp();
		String version = serverVersion();
		this.app.close();
		this.server.close();
		startApp();
		JsonNode health = agentKitSyncHealth();
		assertThat(health.get("status").stringValue()).isEqualTo("UP");
		assertThat(health.at("/details/version").stringValue()).isEqualTo(version);
		assertThat(health.at("/details/source").stringValue()).isEqualTo("cache");
		assertThat(getJson("/skills/summarize")).isEqualTo(readFile("skills/summarize.json"));
	}

	private void startApp() {
		// Named explicitly: the server's application.properties, also on the test classpath,
		// would otherwise name both applications in the log
		this.app = new SpringApplicationBuilder(SampleAppApplication.class).run("--server.port=0",
				"--spring.application.name=agentkit-sync-sample-app",
				"--agentkit.sync.server-url=http://localhost:" + this.serverPort,
				"--agentkit.sync.cache-db-path=" + this.tempDir.resolve("cache/config_cache.db"),
				"--agentkit.sync.poll-interval=500ms", "--agentkit.sync.jitter=0",
				"--agentkit.sync.startup-timeout=5s");
		this.appPort = localPort(this.app);
	}

	private String serverVersion() throws Exception {
		HttpResponse<String> response = get(this.serverPort, "/api/v1/config/version");
		assertThat(response.statusCode()).isEqualTo(200);
		return this.jsonMapper.readTree(response.body()).get("version").stringValue();
	}

	private JsonNode agentKitSyncHealth() throws Exception {
		HttpResponse<String> response = get(this.appPort, "/actuator/health");
		assertThat(response.statusCode()).as("health status code").isIn(200, 503);
		return this.jsonMapper.readTree(response.body()).at("/components/agentkitSync");
	}

	private JsonNode getJson(String path) throws Exception {
		HttpResponse<String> response = get(this.appPort, path);
		assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
		return this.jsonMapper.readTree(response.body());
	}

	private HttpResponse<String> get(int port, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(Duration.ofSeconds(5))
			.build();
		return this.httpClient.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private JsonNode readFile(String name) throws IOException {
		return this.jsonMapper.readTree(Files.readString(this.configDir.resolve(name)));
	}

	private static int localPort(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	private static void copyFolder(Path source, Path target) throws IOException {
		try (Stream<Path> paths = Files.walk(source)) {
			for (Path path : paths.toList()) {
				Path copy = target.resolve(source.relativize(path).toString());
				if (Files.isDirectory(path)) {
					Files.createDirectories(copy);
				}
				else {
					Files.copy(path, copy);
				}
			}
		}
	}

}
