package io.agentkit.sync.hardening;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.agentkit.sync.ConfigSnapshot;
import io.agentkit.sync.SyncOutcome;
import io.agentkit.sync.SyncResult;
import io.agentkit.sync.test.TestEngine;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrency: readers on 16 threads never see a version with another version's skills
 * while syncs put new versions in force, and never see the version go back; 20
 * concurrent {@code syncNow()} calls share one cycle, so the server sees one set of
 * requests.
 */
class ConcurrencyTests {

	private static final int SKILLS = 200;

	private static final int READERS = 16;

	private static final int UPDATES = 25;

	@TempDir
	Path temp;

	@Test
	void readersNeverSeeAVersionWithAnotherVersionsSkills() throws Exception {
		List<String> problems = new CopyOnWriteArrayList<>();
		Set<String> versionsSeen = ConcurrentHashMap.newKeySet();
		AtomicLong reads = new AtomicLong();
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService readers = Executors.newFixedThreadPool(READERS);
		try (StampingServer server = new StampingServer(SKILLS);
				TestEngine engine = TestEngine.builder(server.url(), this.temp.resolve("cache.db")).start()) {
			assertThat(engine.sync.getVersion()).isNotNull();
			List<Future<?>> readerTasks = new ArrayList<>();
			for (int i = 0; i < READERS; i++) {
				int reader = i;
				readerTasks.add(readers.submit(() -> read(engine, reader, running, problems, versionsSeen, reads)));
			}
			for (int i = 0; i < UPDATES; i++) {
				SyncResult result = engine.sync.syncNow();
				assertThat(result.outcome()).as(result.toString()).isEqualTo(SyncOutcome.UPDATED);
			}
			running.set(false);
			for (Future<?> task : readerTasks) {
				task.get(10, TimeUnit.SECONDS);
			}
		}
		finally {
			running.set(false);
			readers.shutdownNow();
		}
		assertThat(problems).as("inconsistent reads out of %d", reads.get()).isEmpty();
		assertThat(versionsSeen).as("versions the readers saw").hasSizeGreaterThan(UPDATES / 4);
		assertThat(reads.get()).isGreaterThan(1000);
	}

	private static void read(TestEngine engine, int reader, AtomicBoolean running, List<String> problems,
			Set<String> versionsSeen, AtomicLong reads) {
		long lastVersion = 0;
		long lastSkillStamp = 0;
		String skillName = StampedConfig.skillName(reader * 7 % SKILLS);
		while (running.get() && problems.size() < 10) {
			Optional<ConfigSnapshot> snapshot = engine.sync.getSnapshot();
			if (snapshot.isPresent()) {
				String mismatch = StampedConfig.firstMismatch(snapshot.get());
				if (mismatch != null) {
					problems.add("reader " + reader + ": " + mismatch);
				}
				versionsSeen.add(snapshot.get().version());
			}
			String version = engine.sync.getVersion();
			long versionNumber = number(version);
			if (versionNumber < lastVersion) {
				problems.add("reader " + reader + ": version went back from v" + lastVersion + " to " + version);
			}
			lastVersion = Math.max(lastVersion, versionNumber);
			Optional<Map<String, @Nullable Object>> skill = engine.sync.getSkill(skillName);
			long stamp = skill.map((it) -> number((String) it.get("stamp"))).orElse(0L);
			if (stamp < lastSkillStamp || stamp < versionNumber) {
				problems.add("reader " + reader + ": " + skillName + " stamped v" + stamp + " after v"
						+ Math.max(lastSkillStamp, versionNumber) + " was seen");
			}
			lastSkillStamp = Math.max(lastSkillStamp, stamp);
			Optional<SkillView> bound = engine.sync.getSkill(skillName, SkillView.class);
			if (bound.isPresent() && number(bound.get().stamp()) < lastSkillStamp) {
				problems.add("reader " + reader + ": bound " + skillName + " stamped " + bound.get().stamp()
						+ " after v" + lastSkillStamp);
			}
			reads.incrementAndGet();
		}
	}

	@Test
	void concurrentSyncNowCallsShareOneCycle() throws Exception {
		int callers = 20;
		try (StampingServer server = new StampingServer(10);
				TestEngine engine = TestEngine.builder(server.url(), this.temp.resolve("cache.db")).start()) {
			assertThat(engine.sync.getVersion()).isNotNull();
			int versionRequestsBefore = server.versionRequests();
			int allRequestsBefore = server.allRequests();
			server.delay(Duration.ofMillis(400));
			CountDownLatch go = new CountDownLatch(1);
			ExecutorService pool = Executors.newFixedThreadPool(callers);
			try {
				List<Future<SyncResult>> results = new ArrayList<>();
				for (int i = 0; i < callers; i++) {
					results.add(pool.submit(() -> {
						go.await();
						return engine.sync.syncNow();
					}));
				}
				go.countDown();
				List<SyncResult> outcomes = new ArrayList<>();
				for (Future<SyncResult> result : results) {
					outcomes.add(result.get(30, TimeUnit.SECONDS));
				}
				assertThat(outcomes).extracting(SyncResult::outcome).containsOnly(SyncOutcome.UPDATED);
				assertThat(outcomes).extracting(SyncResult::version).containsOnly(engine.sync.getVersion());
			}
			finally {
				pool.shutdownNow();
			}
			assertThat(server.versionRequests() - versionRequestsBefore).as("/version requests").isEqualTo(1);
			assertThat(server.allRequests() - allRequestsBefore).as("/all requests").isEqualTo(1);
		}
	}

	private static long number(@Nullable String version) {
		return (version != null) ? Long.parseLong(version.substring(1)) : 0;
	}

	/**
	 * A skill bound to a user type; unknown fields are ignored.
	 */
	record SkillView(String name, String stamp) {

	}

}
