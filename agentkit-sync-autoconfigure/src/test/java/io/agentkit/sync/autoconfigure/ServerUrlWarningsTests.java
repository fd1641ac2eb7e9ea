package io.agentkit.sync.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ServerUrlWarnings}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ServerUrlWarningsTests {

	@TempDir
	Path temp;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AgentKitSyncAutoConfiguration.class));

	@Test
	void serverUrlEndingWithTheApisPathIsWarnedOfAtStartupSayingWhatItAsksForAndWhatToWrite(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("agentkit.sync.server-url=http://127.0.0.1:9/api/v1/",
					"agentkit.sync.cache-db-path=" + this.temp.resolve("cache.db"), "agentkit.sync.startup-timeout=1ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("WARN")
					.contains("agentkit.sync.server-url=http://127.0.0.1:9/api/v1 ends with /api/v1, a part of the "
							+ "AgentKit API's paths, to which the starter adds /api/v1/config/version and "
							+ "/api/v1/config/all itself: it asks for http://127.0.0.1:9/api/v1/api/v1/config/version. "
							+ "Set agentkit.sync.server-url to the server's base URL (http://127.0.0.1:9), unless the "
							+ "server's API is mounted below /api/v1");
			});
	}

	@Test
	void eachPartOfTheApisPathsIsWarnedOfWithTheBaseBeforeIt() {
		assertThat(warnings("https://agentkit.example.com/agentkit/api/v1/config")).singleElement()
			.asString()
			.contains("ends with /api/v1/config,")
			.contains("base URL (https://agentkit.example.com/agentkit)");
		assertThat(warnings("https://agentkit.example.com/API/V1/config/version")).singleElement()
			.asString()
			.contains("ends with /api/v1/config/version,")
			.contains("it asks for https://agentkit.example.com/API/V1/config/version/api/v1/config/version.");
		assertThat(warnings("https://agentkit.example.com/api/v1/config/all")).singleElement()
			.asString()
			.contains("ends with /api/v1/config/all,");
	}

	@Test
	void queryIsNotShownInTheWarning() {
		assertThat(warnings("https://agentkit.example.com/api/v1?api_key=secret-key-value")).singleElement()
			.asString()
			.doesNotContain("secret-key-value")
			.contains("server-url=https://agentkit.example.com/api/v1 ends with");
	}

	@Test
	void baseUrlsAreNotWarnedOf() {
		assertThat(warnings("https://agentkit.example.com")).isEmpty();
		assertThat(warnings("https://agentkit.example.com/")).isEmpty();
		assertThat(warnings("https://example.com/agentkit/")).isEmpty();
		assertThat(warnings("https://example.com/api/v2")).isEmpty();
		assertThat(warnings("https://example.com/myapi/v1")).isEmpty();
	}

	private static List<String> warnings(String serverUrl) {
		AgentKitSyncProperties properties = new AgentKitSyncProperties();
		properties.setServerUrl(serverUrl);
		return ServerUrlWarnings.of(properties);
	}

}
