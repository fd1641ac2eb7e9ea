package io.agentkit.sync.autoconfigure;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static io.agentkit.sync.autoconfigure.UnknownPropertyWarningsTests.environment;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UnitlessValueWarnings}.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnitlessValueWarningsTests {

	@TempDir
	Path temp;

	@Test
	void aDurationWithoutAUnitIsWarnedOfAtStartupAsMilliseconds(CapturedOutput output) {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AgentKitSyncAutoConfiguration.class))
			.withPropertyValues("agentkit.sync.server-url=http://127.0.0.1:9",
					"agentkit.sync.cache-db-path=" + this.temp.resolve("cache.db"), "agentkit.sync.startup-timeout=1ms",
					"agentkit.sync.poll-interval=300")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("WARN")
					.contains("agentkit.sync.poll-interval=300 is read as 300 milliseconds: Spring Boot reads a "
							+ "duration without a unit in milliseconds. Write 300ms to keep it (and this warning "
							+ "away), or 300s, 300m or 300h if that is what was meant");
			});
	}

	@Test
	void everyDurationAndSizeInEveryFormIsJudgedAndOnesWithAUnitAreNot() {
		StandardEnvironment environment = environment(Map.of("agentkit.sync.timeout", " 30 ",
				"agentkit.sync.health.max-staleness", "15m", "agentkit.sync.startup-timeout", "10000ms",
				"agentkit.sync.max-payload-size", "64"));
		environment.getPropertySources()
			.addLast(new SystemEnvironmentPropertySource("systemEnvironment",
					Map.of("AGENTKIT_SYNC_POLLINTERVAL", "60", "AGENTKIT_SYNC_HEALTH_MAXSTALENESS", "5")));
		assertThat(UnitlessValueWarnings.of(environment)).satisfiesExactly(
				(warning) -> assertThat(warning).isEqualTo("agentkit.sync.max-payload-size=64 is read as 64 bytes: "
						+ "Spring Boot reads a size without a unit in bytes. Write 64B to keep it (and this warning "
						+ "away), or 64KB, 64MB or 64GB if that is what was meant"),
				(warning) -> assertThat(warning).startsWith("agentkit.sync.poll-interval=60 is read as 60 milliseconds"),
				(warning) -> assertThat(warning).startsWith("agentkit.sync.timeout=30 is read as 30 milliseconds"));
	}

	@Test
	void valuesWithUnitsOrNotSetAreNotWarnedOf() {
		assertThat(UnitlessValueWarnings.of(environment(Map.of("agentkit.sync.poll-interval", "5m",
				"agentkit.sync.timeout", "PT30S", "agentkit.sync.startup-timeout", "soon",
				"agentkit.sync.max-payload-size", "64MB")))).isEmpty();
		assertThat(UnitlessValueWarnings.of(environment(Map.of()))).isEmpty();
	}

}
