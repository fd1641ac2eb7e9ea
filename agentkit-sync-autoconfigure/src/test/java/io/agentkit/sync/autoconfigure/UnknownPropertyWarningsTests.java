package io.agentkit.sync.autoconfigure;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UnknownPropertyWarnings}.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnknownPropertyWarningsTests {

	@TempDir
	Path temp;

	@Test
	void aMisspeltPropertyIsWarnedOfAtStartupWithWhereItWasSetAndWhatItMeant(CapturedOutput output) {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AgentKitSyncAutoConfiguration.class))
			.withPropertyValues("agentkit.sync.server-url=http://127.0.0.1:9",
					"agentkit.sync.cache-db-path=" + this.temp.resolve("cache.db"), "agentkit.sync.startup-timeout=1ms",
					"agentkit.sync.poll-intervall=30s", "agentkit.sync.token-secret=s3cr3t-value")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("WARN")
					.contains("Ignoring agentkit.sync.poll-intervall (from \"agentkit.sync.poll-intervall\" from "
							+ "property source \"test\"): agentkit-sync has no such property; did you mean "
							+ "agentkit.sync.poll-interval? The setting it was meant for keeps its default")
					.contains("Ignoring agentkit.sync.token-secret")
					.doesNotContain("s3cr3t-value");
			});
	}

	@Test
	void knownPropertiesInEveryFormAreNotWarnedOf() {
		StandardEnvironment environment = environment(Map.of("agentkit.sync.poll-interval", "30s",
				"agentkit.sync.pollInterval", "30s", "agentkit.sync.health.max-staleness", "1m",
				"agentkit.sync.ssl.bundle", "b", "agentkit.sync.enabled", "true", "agentkit.other", "x",
				"management.health.agentkitsync.enabled", "true"));
		environment.getPropertySources()
			.addLast(new SystemEnvironmentPropertySource("systemEnvironment",
					Map.of("AGENTKIT_SYNC_SERVER_URL", "http://127.0.0.1:9", "AGENTKIT_SYNC_HEALTH_STALE_STATUS", "DOWN",
							"AGENTKIT_SYNC_POLLINTERVAL", "1m", "AGENTKIT_CONFIG_CACHE", "/tmp/cache.db")));
		assertThat(UnknownPropertyWarnings.of(environment)).isEmpty();
	}

	@Test
	void anEnvironmentVariableIsJudgedAsBindingJudgesItAndNamedAsItWasSet() {
		StandardEnvironment environment = environment(Map.of());
		environment.getPropertySources()
			.addLast(new SystemEnvironmentPropertySource("systemEnvironment",
					Map.of("AGENTKIT_SYNC_SERVERURL", "http://127.0.0.1:9", "AGENTKIT_SYNC_POLL_INTERVALL", "30s")));
		assertThat(UnknownPropertyWarnings.of(environment)).singleElement()
			.asString()
			.contains("AGENTKIT_SYNC_POLL_INTERVALL")
			.contains("did you mean AGENTKIT_SYNC_POLLINTERVAL (agentkit.sync.poll-interval)?");
	}

	@Test
	void aNameLikeNoPropertyIsWarnedOfWithoutAGuessAndWarningsComeInNameOrder() {
		StandardEnvironment environment = environment(
				Map.of("agentkit.sync.zzz-unrelated-setting", "1", "agentkit.sync.health.max-stalenes", "1m",
						"agentkit.sync.timeuot", "5s"));
		List<String> warnings = UnknownPropertyWarnings.of(environment);
		assertThat(warnings).hasSize(3);
		assertThat(warnings.get(0)).startsWith("Ignoring agentkit.sync.health.max-stalenes ")
			.contains("did you mean agentkit.sync.health.max-staleness?");
		assertThat(warnings.get(1)).startsWith("Ignoring agentkit.sync.timeuot ")
			.contains("did you mean agentkit.sync.timeout?");
		assertThat(warnings.get(2)).startsWith("Ignoring agentkit.sync.zzz-unrelated-setting ")
			.contains("agentkit-sync has no such property. The setting it was meant for keeps its default")
			.doesNotContain("did you mean");
	}

	@Test
	void aValueThatCannotBeBoundIsLeftToTheStartupFailure() {
		assertThat(UnknownPropertyWarnings.of(environment(Map.of("agentkit.sync.poll-interval", "soon")))).isEmpty();
	}

	@Test
	void theKnownNamesAreThoseOfTheConfigurationMetadata() throws Exception {
		List<String> documented = new ArrayList<>();
		try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			for (JsonNode property : JsonMapper.builder().build().readTree(metadata).get("properties")) {
				String name = property.get("name").asString();
				if (name.startsWith(AgentKitSyncProperties.PREFIX)) {
					documented.add(name.substring(AgentKitSyncProperties.PREFIX.length()));
				}
			}
		}
		assertThat(documented).isNotEmpty();
		assertThat(UnknownPropertyWarnings.knownNames()).containsExactlyInAnyOrderElementsOf(documented);
	}

	/**
	 * Return an environment that holds the given properties and nothing else.
	 */
	static StandardEnvironment environment(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().forEach((source) -> environment.getPropertySources().remove(source.getName()));
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

}
