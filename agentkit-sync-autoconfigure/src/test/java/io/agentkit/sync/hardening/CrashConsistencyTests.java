package io.agentkit.sync.hardening;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.agentkit.sync.ConfigSource;
import io.agentkit.sync.test.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash consistency: a child JVM syncs a 5,000-skill configuration into the SQLite cache
 * in a loop, and is killed with SIGKILL at random moments, half of them aimed at a cache
 * write in progress. After every kill the file passes {@code PRAGMA integrity_check},
 * its four rows hold one version (every skill stamped with it), nothing committed is
 * lost, and a fresh engine with the server down starts from it.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "checks the exit status of SIGKILL (137)")
class CrashConsistencyTests {

	private static final int SKILLS = 5_000;

	private static final int KILLS = 12;

	private static final Duration CHILD_PATIENCE = Duration.ofSeconds(60);

	@TempDir
	Path temp;

	@Test
	void killedAtRandomMomentsTheCacheAlwaysHoldsOneCompleteVersion() throws Exception {
		Path cacheFile = this.temp.resolve("cache.db");
		Path journal = this.temp.resolve("cache.db-journal");
		long seed = System.nanoTime();
		Random random = new Random(seed);
		String deadServer = "http://127.0.0.1:" + freePort();
		int killsInsideTransaction = 0;
		try (StampingServer server = new StampingServer(SKILLS)) {
			for (int kill = 1; kill <= KILLS; kill++) {
				String context = "kill " + kill + " (seed " + seed + ")";
				long lastCommitted;
				try (ChildJvm child = ChildJvm.start(List.of("-Xmx512m", "-XX:+UseSerialGC"), CrashLoopChild.class,
						server.url(), cacheFile.toString())) {
					String saved = child.await((line) -> line.startsWith("SAVED "), CHILD_PATIENCE);
					assertThat(saved).as("%s: the child never committed a version; it printed:%n%s", context,
							child.output()).isNotNull();
					if (kill % 2 == 0) {
						// Aim at a write in progress: the write of 5,000 skills takes some ms.
						assertThat(child.await((line) -> line.startsWith("SAVE "), CHILD_PATIENCE)).isNotNull();
						Thread.sleep(random.nextInt(25));
					}
					else {
						Thread.sleep(random.nextInt(600));
					}
					child.process().destroyForcibly();
					assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).as(context).isTrue();
					assertThat(child.process().exitValue()).as("%s: exit status (128 + SIGKILL)", context)
						.isEqualTo(137);
					lastCommitted = lastCommitted(saved, child.drain());
				}
				if (Files.exists(journal) && Files.size(journal) > 0) {
					killsInsideTransaction++;
				}
				String cached = CacheFile.assertOneConsistentSnapshot(cacheFile, SKILLS);
				assertThat(number(cached)).as("%s: the cache lost committed version v%d", context, lastCommitted)
					.isGreaterThanOrEqualTo(lastCommitted);
				try (TestEngine fresh = TestEngine.builder(deadServer, cacheFile)
					.timeout(Duration.ofSeconds(2))
					.startupTimeout(Duration.ofSeconds(5))
					.start()) {
					assertThat(fresh.sync.getStatus().source()).as(context).isEqualTo(ConfigSource.CACHE);
					assertThat(fresh.sync.getVersion()).as(context).isEqualTo(cached);
					StampedConfig.assertConsistent(fresh.sync.getSnapshot().orElseThrow(), SKILLS);
				}
			}
		}
		System.out.println("CrashConsistencyTests: " + KILLS + " kills, " + killsInsideTransaction
				+ " inside a cache transaction (a hot journal was left), seed " + seed);
	}

	private static long lastCommitted(String firstSaved, List<String> later) {
		long last = number(firstSaved.substring("SAVED ".length()));
		for (String line : later) {
			if (line.startsWith("SAVED ")) {
				last = Math.max(last, number(line.substring("SAVED ".length())));
			}
		}
		return last;
	}

	private static long number(String version) {
		return Long.parseLong(version.substring(1));
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
