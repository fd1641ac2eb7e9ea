package io.agentkit.sync.autoconfigure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CacheDbPath}. Refusals at a real startup, with the report they print,
 * are in {@code BadPropertiesStartupTests} and {@code AgentKitSyncAutoConfigurationTests}.
 */
class CacheDbPathTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			file:/var/cache/x.db       | /var/cache/x.db
			file:///var/cache/x.db     | /var/cache/x.db
			FILE:/var/cache/x.db       | /var/cache/x.db
			file:/var/my%20cache/x.db  | /var/my cache/x.db
			file:/var/my cache/x.db    | /var/my cache/x.db
			file:cache/x.db            | cache/x.db
			""")
	void fileUrlIsTheFileItNamesAsSpringReadsIt(String value, String file) {
		assertThat(CacheDbPath.toFile(value)).isEqualTo(Path.of(file));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			C:\\agentkit\\cache.db
			c:/agentkit/cache.db
			D:cache.db
			/var/cache/a:b.db
			./cache:v2.db
			cache.db
			""")
	void pathsWithAColonThatIsNoSchemeAreTakenAsWritten(String value) {
		assertThat(CacheDbPath.toFile(value)).isEqualTo(Path.of(value));
	}

	@Test
	void leadingTildeIsTheUsersHome() {
		Path home = Path.of(System.getProperty("user.home"));
		assertThat(CacheDbPath.toFile("~/agentkit/cache.db")).isEqualTo(home.resolve("agentkit/cache.db"));
		assertThat(CacheDbPath.toFile(" ~ ")).isEqualTo(home);
		assertThat(CacheDbPath.toFile("file:~/cache.db")).isEqualTo(home.resolve("cache.db"));
	}

	@Test
	void jdbcUrlIsRefusedSayingToWriteItsPathAlone() {
		assertThatExceptionOfType(InvalidAgentKitSyncPropertyException.class)
			.isThrownBy(() -> CacheDbPath.toFile("jdbc:sqlite:/tmp/x/j.db"))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("agentkit.sync.cache-db-path");
				assertThat(ex.getValue()).isEqualTo("jdbc:sqlite:/tmp/x/j.db");
				assertThat(ex.getProblem()).isEqualTo(
						"it is a JDBC URL (jdbc:sqlite:), not a path; the starter makes the cache's JDBC URL itself");
				assertThat(ex.getAction())
					.isEqualTo("Write the file's path alone: agentkit.sync.cache-db-path=/tmp/x/j.db.");
			});
	}

	@Test
	void inMemoryDatabaseIsRefusedSayingItDoesNotSurviveARestart() {
		for (String value : new String[] { ":memory:", "file::memory:", "jdbc:sqlite::memory:" }) {
			assertThatExceptionOfType(InvalidAgentKitSyncPropertyException.class)
				.isThrownBy(() -> CacheDbPath.toFile(value))
				.satisfies((ex) -> assertThat(ex.getValue()).isEqualTo(value))
				.satisfies((ex) -> assertThat(ex.getProblem()).contains("a database in memory",
						"cannot be a cache that survives a restart"));
		}
	}

	@Test
	void classPathResourceAndOtherUrlsAreRefusedSayingTheCacheIsAFile() {
		assertThatExceptionOfType(InvalidAgentKitSyncPropertyException.class)
			.isThrownBy(() -> CacheDbPath.toFile("classpath:cache.db"))
			.satisfies((ex) -> assertThat(ex.getProblem()).isEqualTo("it is a class path resource (classpath:), "
					+ "which is read from the application's jar or folders and cannot hold a cache that is written"));
		assertThatExceptionOfType(InvalidAgentKitSyncPropertyException.class)
			.isThrownBy(() -> CacheDbPath.toFile("classpath*:cache.db"))
			.satisfies((ex) -> assertThat(ex.getProblem()).startsWith("it is a class path resource"));
		assertThatExceptionOfType(InvalidAgentKitSyncPropertyException.class)
			.isThrownBy(() -> CacheDbPath.toFile("http://example.com/cache.db"))
			.satisfies((ex) -> assertThat(ex.getProblem())
				.isEqualTo("it is a URL (http:), not the path of a file; the cache is a SQLite file on this machine"));
	}

	@Test
	void anotherUsersHomeIsRefusedSayingNothingExpandsIt() {
		assertThatExceptionOfType(InvalidAgentKitSyncPropertyException.class)
			.isThrownBy(() -> CacheDbPath.toFile("~admin/cache.db"))
			.satisfies((ex) -> assertThat(ex.getProblem()).isEqualTo("it starts with ~admin, which nothing expands: "
					+ "the starter expands a ~ alone (to this user's home) and the JVM none, so the cache would go "
					+ "to a folder named '~admin'"));
	}

}
