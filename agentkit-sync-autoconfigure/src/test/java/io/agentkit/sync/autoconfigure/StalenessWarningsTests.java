package io.agentkit.sync.autoconfigure;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;

import static io.agentkit.sync.autoconfigure.UnknownPropertyWarningsTests.environment;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StalenessWarnings}.
 */
@ExtendWith(OutputCaptureExtension.class)
class StalenessWarningsTests {

	private static final String WARNING = "is not longer than the time between two version checks";

	@TempDir
	Path temp;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AgentKitSyncAutoConfiguration.class));

	@Test
	void stalenessShorterThanThePollIntervalIsWarnedOfAtStartupNamingBothAndWhatToSet(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("agentkit.sync.server-url=http://127.0.0.1:9",
					"agentkit.sync.cache-db-path=" + this.temp.resolve("cache.db"), "agentkit.sync.startup-timeout=1ms",
					"agentkit.sync.poll-interval=5m", "agentkit.sync.health.max-staleness=1m",
					"agentkit.sync.health.stale-status=down")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("WARN")
					.contains("agentkit.sync.health.max-staleness=1m is not longer than the time between two version "
							+ "checks: agentkit.sync.poll-interval=5m, lengthened at random by up to "
							+ "agentkit.sync.jitter=0.1 (the default) of it, waits up to 330s. The configuration turns "
							+ "stale before each next check even when every check succeeds, so health reports DOWN "
							+ "(agentkit.sync.health.stale-status) for part of every cycle. Set "
							+ "agentkit.sync.health.max-staleness longer than 330s, such as 15m (3 poll intervals, so "
							+ "that one failed check does not turn it stale either), or agentkit.sync.poll-interval "
							+ "shorter");
			});
	}

	@Test
	void defaultsAreNotWarnedOf(CapturedOutput output) {
		assertThat(warnings(Map.of())).isEmpty();
		this.contextRunner
			.withPropertyValues("agentkit.sync.server-url=http://127.0.0.1:9",
					"agentkit.sync.cache-db-path=" + this.temp.resolve("cache.db"), "agentkit.sync.startup-timeout=1ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).doesNotContain(WARNING);
			});
	}

	@Test
	void pollIntervalSetLongerThanTheDefaultStalenessIsWarnedOfSayingWhichIsTheDefault() {
		assertThat(warnings(Map.of("agentkit.sync.poll-interval", "20m"))).singleElement()
			.asString()
			.startsWith("agentkit.sync.health.max-staleness=15m (the default) " + WARNING
					+ ": agentkit.sync.poll-interval=20m, lengthened at random by up to agentkit.sync.jitter=0.1 (the "
					+ "default) of it, waits up to 22m.")
			.contains("Set agentkit.sync.health.max-staleness longer than 22m, such as 1h (3 poll intervals");
	}

	@Test
	void stalenessWithinTheJitterIsWarnedOfAndOnePastItIsNot() {
		assertThat(warnings(Map.of("agentkit.sync.health.max-staleness", "330s"))).singleElement()
			.asString()
			.contains("waits up to 330s");
		assertThat(warnings(Map.of("agentkit.sync.health.max-staleness", "331s"))).isEmpty();
		assertThat(warnings(Map.of("agentkit.sync.health.max-staleness", "330001ms"))).isEmpty();
	}

	@Test
	void withoutJitterTheStalenessNeedsOnlyBeLongerThanThePollInterval() {
		assertThat(warnings(Map.of("agentkit.sync.jitter", "0", "agentkit.sync.health.max-staleness", "5m")))
			.singleElement()
			.asString()
			.contains("checks: agentkit.sync.poll-interval=5m (the default) waits 5m.");
		assertThat(warnings(Map.of("agentkit.sync.jitter", "0", "agentkit.sync.health.max-staleness", "301s")))
			.isEmpty();
	}

	private static List<String> warnings(Map<String, Object> properties) {
		Environment environment = environment(properties);
		AgentKitSyncProperties bound = Binder.get(environment)
			.bindOrCreate("agentkit.sync", AgentKitSyncProperties.class);
		return StalenessWarnings.of(bound, environment);
	}

}
