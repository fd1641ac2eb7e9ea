package io.agentkit.sync.hardening;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.agentkit.sync.autoconfigure.AgentKitSyncAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Bad properties fail a real {@link SpringApplication} run, and the failure analysis
 * report that Spring Boot prints names the property, its value and the fix.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadPropertiesStartupTests {

	@TempDir
	Path temp;

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			agentkit.sync.poll-interval=0s            | agentkit.sync.poll-interval         | positive duration such as 5m
			agentkit.sync.poll-interval=-5m           | agentkit.sync.poll-interval         | positive duration such as 5m
			agentkit.sync.timeout=0ms                 | agentkit.sync.timeout               | positive duration such as 30s
			agentkit.sync.startup-timeout=-1s         | agentkit.sync.startup-timeout       | positive duration such as 10s
			agentkit.sync.startup-timeout=9999999999d | agentkit.sync.startup-timeout       | positive duration such as 10s
			agentkit.sync.timeout=3651d               | agentkit.sync.timeout               | positive duration such as 30s
			agentkit.sync.poll-interval=9999999999d   | agentkit.sync.poll-interval         | positive duration such as 5m
			agentkit.sync.max-payload-size=9999999TB  | agentkit.sync.max-payload-size      | 64MB
			'agentkit.sync.token=Bearer abc.def'      | agentkit.sync.token                 | the token alone, as the server issued it, without 'Bearer '
			'agentkit.sync.token=abc.def ghi.jkl'     | agentkit.sync.token                 | the token alone, as the server issued it
			agentkit.sync.health.max-staleness=0s     | agentkit.sync.health.max-staleness  | positive duration such as 15m
			agentkit.sync.server-url=localhost:8001   | agentkit.sync.server-url            | https://agentkit.example.com
			agentkit.sync.server-url=ftp://example.com | agentkit.sync.server-url           | https://agentkit.example.com
			agentkit.sync.server-url=http://exa mple.com | agentkit.sync.server-url         | https://agentkit.example.com
			agentkit.sync.server-url=                 | agentkit.sync.server-url            | agentkit.sync.enabled=false
			agentkit.sync.server-url=http://localhost:99999 | agentkit.sync.server-url      | the port the AgentKit server listens on
			agentkit.sync.health.stale-status=SIDEWAYS | agentkit.sync.health.stale-status  | UP, DOWN, OUT_OF_SERVICE or UNKNOWN
			agentkit.sync.jitter=1.5                  | agentkit.sync.jitter                | 0.1
			agentkit.sync.jitter=-0.1                 | agentkit.sync.jitter                | 0.1
			agentkit.sync.max-payload-size=0B         | agentkit.sync.max-payload-size      | 64MB
			agentkit.sync.poll-interval=soon          | agentkit.sync.poll-interval         | 5m
			agentkit.sync.timeout=30 seconds          | agentkit.sync.timeout               | 30s
			agentkit.sync.startup-mode=fastest        | agentkit.sync.startup-mode          | server-first or cache-first
			agentkit.sync.max-payload-size=lots       | agentkit.sync.max-payload-size      | 64MB
			agentkit.sync.jitter=ten-percent          | agentkit.sync.jitter                | 0.1
			agentkit.sync.fail-fast=maybe             | agentkit.sync.fail-fast             | true or false
			agentkit.sync.cache-db-path=              | agentkit.sync.cache-db-path         | remove it to use the default
			agentkit.sync.cache-db-path=jdbc:sqlite:/x.db | agentkit.sync.cache-db-path     | Write the file's path alone: agentkit.sync.cache-db-path=/x.db.
			agentkit.sync.cache-db-path=JDBC:SQLite:file:///x.db | agentkit.sync.cache-db-path | Write the file's path alone: agentkit.sync.cache-db-path=/x.db.
			agentkit.sync.cache-db-path=jdbc:sqlite::memory: | agentkit.sync.cache-db-path  | An application that wants no cache file declares a ConfigCacheRepository bean
			agentkit.sync.cache-db-path=classpath:cache.db | agentkit.sync.cache-db-path    | to the path of a file on this machine, such as /var/lib/agentkit/config_cache.db
			agentkit.sync.cache-db-path=https://example.com/c.db | agentkit.sync.cache-db-path | to the path of a file on this machine
			agentkit.sync.cache-db-path=:memory:      | agentkit.sync.cache-db-path         | An application that wants no cache file declares a ConfigCacheRepository bean
			agentkit.sync.cache-db-path=file::memory: | agentkit.sync.cache-db-path         | An application that wants no cache file declares a ConfigCacheRepository bean
			agentkit.sync.cache-db-path=file:/x.db?mode=ro | agentkit.sync.cache-db-path    | the file's path alone, without parameters
			agentkit.sync.cache-db-path=file://server/x.db | agentkit.sync.cache-db-path    | written as a path rather than a URL
			agentkit.sync.cache-db-path=~admin/c.db   | agentkit.sync.cache-db-path         | the full path of the file, such as /home/admin/.agentkit/config_cache.db
			agentkit.sync.token=${AGENTKIT_SYNC_TEST_UNSET} | agentkit.sync.token             | or write ${AGENTKIT_SYNC_TEST_UNSET:} in agentkit.sync.token
			agentkit.sync.server-url=${AGENTKIT_SYNC_TEST_UNSET}/api | agentkit.sync.server-url | Set AGENTKIT_SYNC_TEST_UNSET before starting
			agentkit.sync.cache-db-path=${AGENTKIT_SYNC_TEST_UNSET}/c.db | agentkit.sync.cache-db-path | Set AGENTKIT_SYNC_TEST_UNSET before starting
			agentkit.sync.poll-interval=${AGENTKIT_SYNC_TEST_UNSET} | agentkit.sync.poll-interval | The value holds the placeholder ${AGENTKIT_SYNC_TEST_UNSET}, which nothing resolved
			'agentkit.sync.poll-interval=10s # ten seconds' | agentkit.sync.poll-interval   | Remove the comment after the value ('10s' without it)
			'agentkit.sync.timeout=10s  '             | agentkit.sync.timeout               | Remove the spaces around the value ('10s' without them
			""")
	void startupFailsWithAReportNamingThePropertyAndTheFix(String property, String name, String fix,
			CapturedOutput output) {
		SpringApplication application = application();
		assertThatException().isThrownBy(() -> application.run("--" + property));
		String report = output.getOut() + output.getErr();
		assertThat(report).contains("APPLICATION FAILED TO START");
		String description = between(report, "Description:", "Action:");
		String action = after(report, "Action:");
		assertThat(description).as("Description").contains(name);
		assertThat(action).as("Action").contains(name).contains(fix);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			's3cret.one s3cret.two'     | it holds a space (at index 10), and a bearer token is one word
			'  s3cret # the prod token' | it holds a space (at index 6)
			's3cret.töken'              | it holds a character outside ASCII (U+00F6 at index 8), which an HTTP header cannot carry
			'Bearer s3cret'             | it starts with 'Bearer ', which the header has before the token already
			""")
	void tokenThatCannotBeSentFailsStartupSayingWhyWithoutShowingIt(String token, String problem,
			CapturedOutput output) {
		SpringApplication application = application();
		assertThatException().isThrownBy(() -> application.run("--agentkit.sync.token=" + token));
		String report = output.getOut() + output.getErr();
		assertThat(between(report, "Description:", "Action:")).contains("agentkit.sync.token", problem);
		assertThat(report).doesNotContain("s3cret");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			-0s          | 0s
			-5m          | -5m
			0ms          | 0s
			-1500ms      | -1500ms
			9999999999d  | 9999999999d
			""")
	void aRefusedDurationIsShownAsItWouldBeWritten(String written, String shown, CapturedOutput output) {
		SpringApplication application = application();
		assertThatException().isThrownBy(() -> application.run("--agentkit.sync.poll-interval=" + written));
		String description = between(output.getOut() + output.getErr(), "Description:", "Action:");
		assertThat(description).contains("Value: '" + shown + "'").doesNotContain("PT");
	}

	@Test
	void valueTooLargeToCountSaysSo(CapturedOutput output) {
		SpringApplication application = application();
		assertThatException().isThrownBy(() -> application.run("--agentkit.sync.max-payload-size=9999999TB"));
		String description = between(output.getOut() + output.getErr(), "Description:", "Action:");
		assertThat(description).contains(
				"The AgentKit sync property 'agentkit.sync.max-payload-size' could not be read: it is too large to count");
	}

	@Test
	void aCommentAfterAValueIsExplainedAsTheFileItCameFromReadsIt(CapturedOutput output) throws IOException {
		Path properties = this.temp.resolve("application.properties");
		Files.writeString(properties, "agentkit.sync.timeout=5s # five seconds\n");
		SpringApplication application = application();
		assertThatException().isThrownBy(() -> application.run("--spring.config.location=" + properties));
		assertThat(after(output.getOut() + output.getErr(), "Action:"))
			.contains("Remove the comment after the value ('5s' without it): a .properties file reads the rest of "
					+ "the line as the value");
		assertThatException().isThrownBy(() -> application.run("--agentkit.sync.timeout=5s # five seconds"));
		String report = output.getOut() + output.getErr();
		assertThat(report.substring(report.lastIndexOf("Action:")))
			.contains("Remove the comment after the value ('5s' without it): the value is taken whole")
			.doesNotContain(".properties");
	}

	@Test
	void aTokenWithAnUnresolvedPlaceholderIsShownAsThePlaceholderAlone(CapturedOutput output) {
		SpringApplication application = application();
		assertThatException()
			.isThrownBy(() -> application.run("--agentkit.sync.token=s3cr3t-part-${AGENTKIT_SYNC_TEST_UNSET}"));
		String report = output.getOut() + output.getErr();
		assertThat(between(report, "Description:", "Action:")).contains("agentkit.sync.token")
			.contains("Value: '${AGENTKIT_SYNC_TEST_UNSET}'");
		assertThat(report).doesNotContain("s3cr3t-part");
	}

	@Test
	void otherBadPropertiesAreLeftToSpringBootsReport(CapturedOutput output) {
		SpringApplication application = application();
		assertThatException().isThrownBy(() -> application.run("--spring.main.banner-mode=sideways"));
		assertThat(after(output.getOut() + output.getErr(), "Description:")).contains("spring.main.banner-mode")
			.contains("Update your application's configuration")
			.doesNotContain("AgentKit");
	}

	private static String between(String text, String start, String end) {
		int from = text.indexOf(start);
		int to = text.indexOf(end, from);
		assertThat(from).as("'%s' in:%n%s", start, text).isNotNegative();
		assertThat(to).as("'%s' in:%n%s", end, text).isNotNegative();
		return text.substring(from, to);
	}

	/**
	 * An application with a server URL and a cache file, to which each test adds the bad
	 * property.
	 */
	private SpringApplication application() {
		SpringApplication application = new SpringApplication(Application.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(Map.of("agentkit.sync.server-url", "http://127.0.0.1:9",
				"agentkit.sync.cache-db-path", this.temp.resolve("cache.db").toString()));
		return application;
	}

	private static String after(String text, String start) {
		int from = text.indexOf(start);
		assertThat(from).as("'%s' in:%n%s", start, text).isNotNegative();
		return text.substring(from);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(AgentKitSyncAutoConfiguration.class)
	static class Application {

	}

}
