package io.agentkit.sync.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.agentkit.sync.ConfigDocumentReader;
import io.agentkit.sync.ConfigSnapshot;
import io.agentkit.sync.SyncOutcome;
import io.agentkit.sync.SyncResult;
import io.agentkit.sync.benchmarks.Engines.Engine;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The end-to-end measurements of the Java engine and of the floor, against a
 * {@link StubConfigServer} on loopback serving 1,000, 10,000 and 50,000 skills: full
 * pulls, an unchanged poll, a start from the cache (with the classes loaded, and at
 * 10,000 skills each cold run in a fresh JVM) and the heap one snapshot retains, each at
 * every size. Writes the raw
 * samples as JSON; {@link Report} takes the medians.
 * <p>
 * Arguments: {@code --server-port P --proxy-port Q} to use a running server (else one is
 * started in this process), {@code --out FILE} (default {@code java-e2e.json}),
 * {@code --work DIR} for the cache files, {@code --only fullPull,poll,startFromCache,heap} to
 * run some of the measurements.
 */
public final class EndToEnd {

	private static final List<Integer> PULL_SIZES = List.of(1_000, 10_000, 50_000);

	private static final int CACHE_SIZE = 10_000;

	/**
	 * Starts from the cache measured with the classes loaded, after as many unmeasured.
	 */
	private static final int WARM_STARTS = 20;

	private static final List<Integer> HEAP_SIZES = List.of(1_000, 10_000, 50_000);

	private final int serverPort;

	private final int proxyPort;

	private final Path work;

	private final JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private EndToEnd(int serverPort, int proxyPort, Path work) {
		this.serverPort = serverPort;
		this.proxyPort = proxyPort;
		this.work = work;
	}

	/**
	 * Run every measurement and write the samples.
	 * @param args see the class description
	 * @throws Exception when a measurement fails
	 */
	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		Path out = Path.of(options.getOrDefault("out", "java-e2e.json"));
		Path work = Files.createDirectories(Path.of(options.getOrDefault("work", "target/e2e-work")));
		StubConfigServer local = null;
		int serverPort;
		int proxyPort;
		if (options.containsKey("server-port")) {
			serverPort = Integer.parseInt(options.get("server-port"));
			proxyPort = Integer.parseInt(options.get("proxy-port"));
		}
		else {
			local = StubConfigServer.start(List.of(1_000, 10_000, 50_000));
			serverPort = local.port();
			proxyPort = local.proxiedUrl(0).getPort();
		}
		try {
			EndToEnd bench = new EndToEnd(serverPort, proxyPort, work);
			List<String> only = List.of(options.getOrDefault("only", "fullPull,poll,startFromCache,heap").split(","));
			Map<String, Object> results = new LinkedHashMap<>();
			if (only.contains("fullPull")) {
				results.put("fullPull", bench.fullPulls());
			}
			if (only.contains("poll")) {
				results.put("poll", bench.unchangedPolls());
			}
			if (only.contains("startFromCache")) {
				results.put("startFromCache", bench.startsFromCache());
			}
			if (only.contains("heap")) {
				results.put("heap", bench.heap());
			}
			bench.mapper.writeValue(out.toFile(), results);
			System.out.println("Wrote " + out.toAbsolutePath());
		}
		finally {
			if (local != null) {
				local.close();
			}
		}
		System.exit(0);
	}

	// Full pull: fetch, validate, persist, publish (syncNow(true); the version alternates).

	private Map<String, Object> fullPulls() throws Exception {
		Map<String, Object> results = new LinkedHashMap<>();
		for (int size : PULL_SIZES) {
			// The target size gets the most runs: a second of a busy machine then moves its median little.
			int warmups = (size >= 50_000) ? 3 : 15;
			int runs = (size >= 50_000) ? 9 : (size >= 10_000) ? 101 : 21;
			List<Double> engineSamples = new ArrayList<>();
			List<Double> floorSamples = new ArrayList<>();
			// Engine and floor take turns, so both see the same machine.
			try (Engine engine = Engines.create(url(this.serverPort, size), freshFile("pull-engine-" + size + ".db"));
					Floor floor = new Floor(laneUrl(this.serverPort, size, "floor"),
							freshFile("pull-floor-" + size + ".db"))) {
				engine.sync().start();
				for (int i = 0; i < warmups + runs; i++) {
					long start = System.nanoTime();
					SyncResult result = engine.sync().syncNow(true);
					long engineElapsed = System.nanoTime() - start;
					check(result.outcome() == SyncOutcome.UPDATED, "a forced pull did not update: " + result);
					check(engine.sync().getSkills().size() == size, "wrong skill count");
					start = System.nanoTime();
					Floor.Parsed parsed = floor.pull();
					long floorElapsed = System.nanoTime() - start;
					check(parsed.skills() == size, "wrong skill count");
					if (i >= warmups) {
						engineSamples.add(engineElapsed / 1e6);
						floorSamples.add(floorElapsed / 1e6);
					}
				}
			}
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("engineMs", engineSamples);
			row.put("floorMs", floorSamples);
			results.put(String.valueOf(size), row);
			log("full pull of " + size + " skills: " + row);
		}
		return results;
	}

	// Unchanged poll: syncNow() when the server's version equals the one in force.

	private Map<String, Object> unchangedPolls() throws Exception {
		Map<String, Object> results = new LinkedHashMap<>();
		// Each series in a JVM of its own, so none warms the JIT for another.
		for (String mode : List.of("engine", "client", "floor")) {
			results.put(mode, child(PollRun.class, mode, String.valueOf(this.serverPort),
					String.valueOf(this.proxyPort), this.work.toString()));
		}
		// The engine's series at the other sizes too: a poll asks for the version alone, whatever the size.
		Map<String, Object> engineBySize = new LinkedHashMap<>();
		for (int size : PULL_SIZES) {
			engineBySize.put(String.valueOf(size), (size == PollRun.SIZE) ? results.get("engine")
					: child(PollRun.class, "engine", String.valueOf(this.serverPort), String.valueOf(this.proxyPort),
							this.work.toString(), String.valueOf(size)));
		}
		results.put("engineBySize", engineBySize);
		results.put("earlyPollsBefore", PollRun.EARLY_POLLS_BEFORE);
		results.put("steadyPollsBefore", PollRun.STEADY_POLLS_BEFORE);
		results.put("idlePauseMillis", PollRun.IDLE_PAUSE_MILLIS);
		log("unchanged poll: " + results);
		return results;
	}

	// Start from a cache with the server down: of 10,000 skills in fresh JVMs, of each size with the classes loaded.

	private Map<String, Object> startsFromCache() throws Exception {
		Path cacheFile = this.work.resolve("start-cache-" + CACHE_SIZE + ".db");
		Files.deleteIfExists(cacheFile);
		try (Engine engine = Engines.create(url(this.serverPort, CACHE_SIZE), cacheFile)) {
			engine.sync().start();
			check(engine.sync().getSkills().size() == CACHE_SIZE, "the cache was not written");
		}
		URI down = downUrl();
		Map<String, Object> results = new LinkedHashMap<>();
		results.put("skills", CACHE_SIZE);
		results.put("cacheFileBytes", Files.size(cacheFile));
		List<Double> coldEngine = new ArrayList<>();
		List<Double> coldConstruct = new ArrayList<>();
		List<Double> coldFloor = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			JsonNode engine = coldStart("engine", cacheFile, down);
			check(engine.get("skills").asInt() == CACHE_SIZE && "cache".equals(engine.get("source").asString()),
					"the cold engine did not start from the cache: " + engine);
			coldEngine.add(engine.get("ms").asDouble());
			coldConstruct.add(engine.get("constructMs").asDouble());
			JsonNode floor = coldStart("floor", cacheFile, down);
			check(floor.get("skills").asInt() == CACHE_SIZE, "the cold floor did not read the cache: " + floor);
			coldFloor.add(floor.get("ms").asDouble());
		}
		results.put("coldEngineMs", coldEngine);
		results.put("coldConstructMs", coldConstruct);
		results.put("coldFloorMs", coldFloor);
		// The same start with the JVM's class data sharing: one run writes an archive of the classes it loaded
		// (-XX:ArchiveClassesAtExit, as Spring Boot's documentation does for faster starts), the others map it.
		Path archive = this.work.resolve("cold-start.jsa");
		Files.deleteIfExists(archive);
		coldStart("engine", cacheFile, down, "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
		check(Files.exists(archive), "the JVM wrote no class data sharing archive");
		List<Double> coldEngineShared = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			JsonNode engine = coldStart("engine", cacheFile, down, "-XX:SharedArchiveFile=" + archive, "-Xshare:on");
			check("cache".equals(engine.get("source").asString()), "the cold engine did not start from the cache");
			coldEngineShared.add(engine.get("ms").asDouble());
		}
		results.put("coldEngineSharedClassesMs", coldEngineShared);
		// The same start with the classes it loads loaded and initialized before the clock, as the Python client's
		// modules are imported before its own: what is left is code running before the JIT has compiled it.
		Path classList = this.work.resolve("cold-start.classes");
		Files.deleteIfExists(classList);
		coldStart("engine", cacheFile, down, "-XX:DumpLoadedClassList=" + classList);
		check(Files.exists(classList), "the JVM wrote no class list");
		List<Double> coldEnginePreloaded = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			JsonNode engine = coldStart("engine", cacheFile, down, "-D" + ColdStart.PRELOAD + "=" + classList);
			check("cache".equals(engine.get("source").asString()) && engine.get("classesPreloaded").asInt() > 1000,
					"the cold engine with its classes loaded did not start from the cache: " + engine);
			coldEnginePreloaded.add(engine.get("ms").asDouble());
		}
		results.put("coldEngineClassesLoadedMs", coldEnginePreloaded);
		Map<String, Object> warm = new LinkedHashMap<>();
		for (int size : PULL_SIZES) {
			warm.put(String.valueOf(size), warmStarts(size, (size == CACHE_SIZE) ? cacheFile : null, down));
		}
		results.put("warm", warm);
		log("start from cache: " + results);
		return results;
	}

	/**
	 * Start from a cache of the given size, written first unless given, with the classes
	 * loaded: the engine's whole start, the repository's load alone and the floor's.
	 */
	private Map<String, Object> warmStarts(int size, @Nullable Path givenCacheFile, URI down) throws Exception {
		Path cacheFile = givenCacheFile;
		if (cacheFile == null) {
			cacheFile = freshFile("start-cache-" + size + ".db");
			try (Engine engine = Engines.create(url(this.serverPort, size), cacheFile)) {
				engine.sync().start();
				check(engine.sync().getSkills().size() == size, "the cache was not written");
			}
		}
		List<Double> engineMs = new ArrayList<>();
		List<Double> loadMs = new ArrayList<>();
		List<Double> floorLoadMs = new ArrayList<>();
		JsonFactory floorFactory = new JsonFactory();
		// Half the runs warm the JIT (measured: the first fifteen took three times as long as the later ones).
		for (int i = 0; i < 2 * WARM_STARTS; i++) {
			long start = System.nanoTime();
			try (Engine engine = Engines.create(down, cacheFile)) {
				engine.sync().start();
				long elapsed = System.nanoTime() - start;
				check(engine.sync().getSkills().size() == size, "the warm engine did not start from the cache");
				long loadStart = System.nanoTime();
				check(engine.cache().load().isPresent(), "the cache did not load");
				long loadElapsed = System.nanoTime() - loadStart;
				long floorStart = System.nanoTime();
				check(Floor.loadCache(floorFactory, cacheFile).skills() == size, "floor load failed");
				long floorElapsed = System.nanoTime() - floorStart;
				if (i >= WARM_STARTS) {
					engineMs.add(elapsed / 1e6);
					loadMs.add(loadElapsed / 1e6);
					floorLoadMs.add(floorElapsed / 1e6);
				}
			}
		}
		Map<String, Object> samples = new LinkedHashMap<>();
		samples.put("engineMs", engineMs);
		samples.put("loadMs", loadMs);
		samples.put("floorLoadMs", floorLoadMs);
		return samples;
	}

	private JsonNode coldStart(String mode, Path cacheFile, URI down, String... jvmOptions)
			throws IOException, InterruptedException {
		return child(ColdStart.class, List.of(jvmOptions), mode, cacheFile.toString(), down.toString());
	}

	/**
	 * Run a main class in a fresh JVM with this classpath and return the last JSON line it
	 * printed.
	 */
	private JsonNode child(Class<?> main, String... args) throws IOException, InterruptedException {
		return child(main, List.of(), args);
	}

	/**
	 * Run a main class in a fresh JVM with this classpath and the given JVM options, and
	 * return the last JSON line it printed.
	 */
	private JsonNode child(Class<?> main, List<String> jvmOptions, String... args)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		String last = null;
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.startsWith("{")) {
					last = line;
				}
			}
		}
		check(process.waitFor() == 0 && last != null, main.getSimpleName() + " in a fresh JVM failed");
		return this.mapper.readTree(last);
	}

	private static URI downUrl() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		return URI.create("http://127.0.0.1:" + port + "/s" + CACHE_SIZE);
	}

	// Heap retained by one snapshot, against the JSON size of the body it came from.

	private Map<String, Object> heap() {
		Map<String, Object> results = new LinkedHashMap<>();
		ConfigDocumentReader reader = new ConfigDocumentReader();
		for (int size : HEAP_SIZES) {
			byte[] body = Payloads.body(size, 0);
			int held = (size >= 50_000) ? 2 : 4;
			reader.readAll(body);
			List<Double> perSnapshot = new ArrayList<>();
			for (int round = 0; round < 3; round++) {
				long before = usedHeapAfterGc();
				ConfigSnapshot[] snapshots = new ConfigSnapshot[held];
				for (int i = 0; i < held; i++) {
					snapshots[i] = reader.readAll(body).snapshot();
				}
				long after = usedHeapAfterGc();
				Reference.reachabilityFence(snapshots);
				perSnapshot.add((double) (after - before) / held);
			}
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("jsonBytes", body.length);
			row.put("snapshotBytes", perSnapshot);
			results.put(String.valueOf(size), row);
			log("heap of " + size + " skills: " + row);
		}
		return results;
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	// Helpers

	private Path freshFile(String name) throws IOException {
		Path file = this.work.resolve(name);
		Files.deleteIfExists(file);
		return file;
	}

	static URI url(int port, int size) {
		return URI.create("http://127.0.0.1:" + port + "/s" + size);
	}

	private static URI laneUrl(int port, int size, String lane) {
		return URI.create("http://127.0.0.1:" + port + "/s" + size + "-" + lane);
	}

	static void check(boolean condition, String message) {
		if (!condition) {
			throw new IllegalStateException(message);
		}
	}

	private static void log(String message) {
		System.out.println("[e2e] " + message);
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
		}
		return options;
	}

}
