package io.agentkit.sync.benchmarks;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.agentkit.sync.ConfigDocument;
import io.agentkit.sync.ConfigDocumentReader;
import io.agentkit.sync.ConfigSnapshot;
import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.ConfigSyncSettings;
import io.agentkit.sync.PollSchedule;
import io.agentkit.sync.SyncResult;
import io.agentkit.sync.cache.ConfigCacheRepository;
import io.agentkit.sync.client.ConfigServerClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.databind.json.JsonMapper;

/**
 * The read path of {@link ConfigSync}: a lookup by name and a read of the whole snapshot,
 * at 100, 10,000 and 100,000 skills, alone and while another thread keeps putting new
 * versions in force through a real engine fed by an in-memory server. Lookups go through
 * the names in a shuffled order, with keys that are equal to the skill names but not the
 * same instances, as an application's keys would be; {@code lookupHot} asks for the same
 * 64 names over and over. {@code lookupFloorHashMap} is the floor: a plain
 * {@link HashMap} of the same skills. A lookup ends in {@code orElse(null)}, as an
 * application's would, so the {@code Optional} need not be made, and answers the skill
 * as the application then holds it, a reference it has not yet read through:
 * {@code lookupAndRead} adds the read of one of the skill's fields, which at 100,000
 * skills waits for main memory whatever found the skill. {@code lookupOnHugePages} and
 * {@code lookupFloorHashMapOnHugePages} run the same lookups in a JVM whose heap lies on
 * transparent huge pages, a deployment choice ({@value #HUGE_PAGES} with
 * {@value #TOUCH_HEAP_AT_START} and a fixed heap), so what they read is
 * found through a few page-table entries rather than one for each 4 KB.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ReadPathBenchmark {

	private static final Logger engineLogger = Logger.getLogger("io.agentkit");

	// An application that asks for the same few skills again and again.
	private static final int HOT_NAMES = 64;

	// A heap on transparent huge pages: the JVM asks for them and touches its whole heap, of a fixed
	// size, at start, so that every page is one (the pages of a heap that grows are mostly small).

	static final String HUGE_PAGES = "-XX:+UseTransparentHugePages";

	static final String TOUCH_HEAP_AT_START = "-XX:+AlwaysPreTouch";

	static final String INITIAL_HEAP = "-Xms2g";

	static final String MAXIMUM_HEAP = "-Xmx2g";

	@Param({ "100", "10000", "100000" })
	int skills;

	private ConfigSync sync;

	private String[] names;

	private Map<String, Map<String, Object>> floorIndex;

	/**
	 * Where each thread is in the shuffled names.
	 */
	@State(Scope.Thread)
	public static class Cursor {

		int next;

	}

	@Setup(org.openjdk.jmh.annotations.Level.Trial)
	public void setUp() {
		// The writer puts thousands of versions in force a second; their INFO lines are not what is measured.
		engineLogger.setLevel(Level.WARNING);
		ConfigDocumentReader reader = new ConfigDocumentReader();
		ConfigDocument first = reader.readAll(Payloads.body(this.skills, 0));
		ConfigDocument second = reader.readAll(Payloads.body(this.skills, 1));
		ConfigSyncSettings settings = ConfigSyncSettings.defaults();
		this.sync = new ConfigSync(new AlternatingServer(first, second), new NoCache(), settings,
				new PollSchedule(settings.pollInterval(), settings.jitter(), new SplittableRandom()),
				Clock.systemUTC(), JsonMapper.builder().build(), (event) -> {
				});
		this.sync.start();
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < this.skills; i++) {
			order.add(i);
		}
		Collections.shuffle(order, new Random(7));
		// Keys made one after the other in the order they are used, so fetching the key is not what is
		// measured: their characters are formatted first, as String.format leaves garbage that would lie
		// between keys made in the same loop and make each key a miss of the processor's caches.
		char[][] characters = new char[this.skills][];
		for (int i = 0; i < this.skills; i++) {
			characters[i] = Payloads.skillName(order.get(i)).toCharArray();
		}
		this.names = new String[this.skills];
		for (int i = 0; i < this.skills; i++) {
			this.names[i] = new String(characters[i]);
			this.names[i].hashCode();
		}
		this.floorIndex = new HashMap<>();
		for (Map<String, Object> skill : first.snapshot().skills()) {
			this.floorIndex.put((String) skill.get("name"), skill);
		}
	}

	@TearDown(org.openjdk.jmh.annotations.Level.Trial)
	public void tearDown() {
		this.sync.stop();
	}

	private String nextName(Cursor cursor) {
		int index = cursor.next;
		cursor.next = (index + 1 == this.names.length) ? 0 : index + 1;
		return this.names[index];
	}

	// The lookups answer Object: a Map would be type-checked on the way out, a read of the skill.

	@Benchmark
	public Object lookup(Cursor cursor) {
		return this.sync.getSkill(nextName(cursor)).orElse(null);
	}

	@Benchmark
	public Object lookupAndRead(Cursor cursor) {
		Map<String, Object> skill = this.sync.getSkill(nextName(cursor)).orElse(null);
		return (skill != null) ? skill.get("model") : null;
	}

	@Benchmark
	public Object lookupHot(Cursor cursor) {
		int index = cursor.next;
		cursor.next = (index + 1 == HOT_NAMES) ? 0 : index + 1;
		return this.sync.getSkill(this.names[index]).orElse(null);
	}

	@Benchmark
	public Object lookupFloorHashMap(Cursor cursor) {
		return this.floorIndex.get(nextName(cursor));
	}

	@Benchmark
	@Fork(value = 1, jvmArgsAppend = { HUGE_PAGES, TOUCH_HEAP_AT_START, INITIAL_HEAP, MAXIMUM_HEAP })
	public Object lookupOnHugePages(Cursor cursor) {
		return this.sync.getSkill(nextName(cursor)).orElse(null);
	}

	@Benchmark
	@Fork(value = 1, jvmArgsAppend = { HUGE_PAGES, TOUCH_HEAP_AT_START, INITIAL_HEAP, MAXIMUM_HEAP })
	public Object lookupFloorHashMapOnHugePages(Cursor cursor) {
		return this.floorIndex.get(nextName(cursor));
	}

	@Benchmark
	public Object lookupAndReadFloorHashMap(Cursor cursor) {
		Map<String, Object> skill = this.floorIndex.get(nextName(cursor));
		return (skill != null) ? skill.get("model") : null;
	}

	@Benchmark
	public void readAllSkills(Blackhole blackhole) {
		readAll(blackhole);
	}

	@Benchmark
	@Group("lookupWhileWriting")
	@GroupThreads(1)
	public Object lookupReader(Cursor cursor) {
		return this.sync.getSkill(nextName(cursor)).orElse(null);
	}

	@Benchmark
	@Group("lookupWhileWriting")
	@GroupThreads(1)
	public SyncResult lookupWriter() {
		return this.sync.syncNow(true);
	}

	@Benchmark
	@Group("readAllWhileWriting")
	@GroupThreads(1)
	public void readAllReader(Blackhole blackhole) {
		readAll(blackhole);
	}

	@Benchmark
	@Group("readAllWhileWriting")
	@GroupThreads(1)
	public SyncResult readAllWriter() {
		return this.sync.syncNow(true);
	}

	private void readAll(Blackhole blackhole) {
		ConfigSnapshot snapshot = this.sync.getSnapshot().orElseThrow();
		blackhole.consume(snapshot.version());
		for (Map<String, Object> skill : snapshot.skills()) {
			blackhole.consume(skill.get("name"));
		}
	}

	/**
	 * An in-memory server whose configuration changes at every pull.
	 */
	private static final class AlternatingServer implements ConfigServerClient {

		private final ConfigDocument[] documents;

		private final AtomicInteger pulls = new AtomicInteger();

		AlternatingServer(ConfigDocument first, ConfigDocument second) {
			this.documents = new ConfigDocument[] { first, second };
		}

		@Override
		public String fetchVersion() {
			return this.documents[(this.pulls.get() + 1) & 1].snapshot().version();
		}

		@Override
		public ConfigDocument fetchAll() {
			return this.documents[this.pulls.getAndIncrement() & 1];
		}

	}

	/**
	 * A cache that keeps nothing, so the writer measures publication, not SQLite.
	 */
	private static final class NoCache implements ConfigCacheRepository {

		@Override
		public Optional<ConfigDocument> load() {
			return Optional.empty();
		}

		@Override
		public void save(ConfigDocument document) {
		}

	}

}
