package io.agentkit.sync.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes {@code RESULTS.md} from the measurements: the JMH results, the Java end-to-end
 * samples, the Python samples (when there are any) and a description of the machine.
 * Every number in the report comes from those files; medians are taken here.
 * <p>
 * Arguments: {@code --jmh FILE --java FILE [--python FILE] [--python-note TEXT]
 * --machine FILE --out FILE}.
 */
public final class Report {

	private static final String BENCHMARK = ReadPathBenchmark.class.getName() + ".";

	private final JsonNode jmh;

	private final JsonNode java;

	private final JsonNode python;

	private final List<Row> rows = new ArrayList<>();

	private final List<String[]> spread = new ArrayList<>();

	private final Map<String, Double> notes = new LinkedHashMap<>();

	private Report(JsonNode jmh, JsonNode java, JsonNode python) {
		this.jmh = jmh;
		this.java = java;
		this.python = python;
	}

	/**
	 * Write the report.
	 * @param args see the class description
	 * @throws IOException when a file cannot be read or written
	 */
	public static void main(String[] args) throws IOException {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
		}
		JsonMapper mapper = JsonMapper.builder().build();
		JsonNode python = null;
		if (options.containsKey("python") && Files.exists(Path.of(options.get("python")))) {
			python = mapper.readTree(Path.of(options.get("python")));
		}
		Report report = new Report(mapper.readTree(Path.of(options.get("jmh"))),
				mapper.readTree(Path.of(options.get("java"))), python);
		report.build();
		String machine = Files.readString(Path.of(options.get("machine")));
		String text = report.render(machine, options.get("python-note"));
		Files.writeString(Path.of(options.get("out")), text);
		System.out.println(text);
	}

	private void build() {
		readPath();
		fullPulls();
		polls();
		starts();
		heap();
	}

	// Read path (JMH)

	private void readPath() {
		for (String size : List.of("100", "10000", "100000")) {
			double java = jmh("lookup", null, size);
			double floor = jmh("lookupFloorHashMap", null, size);
			this.notes.put("lookup" + size, java);
			this.notes.put("lookupFloor" + size, floor);
			Double python = pythonMedian("lookupNs", size);
			boolean targeted = size.equals("100000");
			add(new Row("Lookup by name, " + count(size) + " skills", time(java), time(python), ratio(python, java),
					time(floor) + " (HashMap.get)", targeted ? "< 50 ns" : "", targeted ? met(java < 50) : ""));
		}
		double onHugePages = jmh("lookupOnHugePages", null, "100000");
		double floorOnHugePages = jmh("lookupFloorHashMapOnHugePages", null, "100000");
		this.notes.put("lookupOnHugePages", onHugePages);
		add(new Row("Lookup by name, 100,000 skills, heap on transparent huge pages (a deployment choice: "
				+ "`-XX:+UseTransparentHugePages -XX:+AlwaysPreTouch`, a fixed heap)", time(onHugePages), "", "",
				time(floorOnHugePages) + " (HashMap.get)", "< 50 ns", met(onHugePages < 50)));
		double lookupAndRead = jmh("lookupAndRead", null, "100000");
		double lookupAndReadFloor = jmh("lookupAndReadFloorHashMap", null, "100000");
		add(new Row("Lookup by name and a read of one of the skill's fields, 100,000 skills", time(lookupAndRead), "",
				"", time(lookupAndReadFloor) + " (HashMap.get)", "", ""));
		double hot = jmh("lookupHot", null, "100000");
		add(new Row("Lookup by name, 100,000 skills, the same 64 names over and over", time(hot), "", "", "", "< 50 ns",
				met(hot < 50)));
		this.notes.put("lookupHot", hot);
		for (String size : List.of("100", "10000", "100000")) {
			double java = jmh("lookupWhileWriting", "lookupReader", size);
			add(new Row("Lookup by name, " + count(size) + " skills, while another thread puts new versions in force",
					time(java), "", "", "", "", ""));
		}
		for (String size : List.of("100", "10000", "100000")) {
			double java = jmh("readAllSkills", null, size);
			Double python = pythonMedian("readAllNs", size);
			add(new Row("Read the whole snapshot (every skill's name), " + count(size) + " skills", time(java),
					time(python), ratio(python, java), "", "", ""));
		}
		for (String size : List.of("100", "10000", "100000")) {
			double java = jmh("readAllWhileWriting", "readAllReader", size);
			add(new Row("Read the whole snapshot, " + count(size) + " skills, while another thread puts new versions in force",
					time(java), "", "", "", "", ""));
		}
	}

	private double jmh(String benchmark, String secondary, String size) {
		for (JsonNode result : this.jmh) {
			if (result.get("benchmark").asString().equals(BENCHMARK + benchmark)
					&& result.get("params").get("skills").asString().equals(size)) {
				JsonNode metric = (secondary != null) ? result.get("secondaryMetrics").get(secondary)
						: result.get("primaryMetric");
				List<Double> samples = new ArrayList<>();
				for (JsonNode fork : metric.get("rawData")) {
					fork.forEach((value) -> samples.add(value.asDouble()));
				}
				double median = median(samples);
				String unit = metric.get("scoreUnit").asString();
				check(unit.equals("ns/op"), "unexpected JMH unit " + unit);
				addSpread("JMH " + benchmark + ((secondary != null) ? " (" + secondary + ")" : "") + ", " + size,
						samples, null, "ns");
				return median;
			}
		}
		throw new IllegalStateException("no JMH result for " + benchmark + " at " + size);
	}

	// End to end

	private void fullPulls() {
		for (String size : List.of("1000", "10000", "50000")) {
			JsonNode row = this.java.get("fullPull").get(size);
			List<Double> engine = list(row.get("engineMs"));
			List<Double> floor = list(row.get("floorMs"));
			List<Double> python = (this.python != null) ? list(this.python.get("fullPull").get(size).get("ms")) : null;
			double java = median(engine);
			double floorMedian = median(floor);
			Double pythonMedian = (python != null) ? median(python) : null;
			String target = "";
			String met = "";
			if (size.equals("10000")) {
				target = "≥ 3× faster than Python, ≤ 2× the floor";
				boolean floorMet = java <= 2 * floorMedian;
				met = (pythonMedian != null) ? met(floorMet && pythonMedian >= 3 * java)
						: (floorMet ? "floor: yes; Python: not measured" : "**no**");
			}
			add(new Row("Full pull of " + count(size) + " skills (fetch, validate, persist, publish)", ms(java),
					ms(pythonMedian), ratio(pythonMedian, java),
					ms(floorMedian) + " (" + String.format(Locale.ROOT, "%.2f", java / floorMedian) + "× floor)",
					target, met));
			this.notes.put("pull" + size, java);
			this.notes.put("pullFloor" + size, floorMedian);
			if (pythonMedian != null) {
				this.notes.put("pullPython" + size, pythonMedian);
			}
			addSpread("full pull " + size, engine, python, "ms");
			addSpread("full pull " + size + " (floor)", floor, null, "ms");
		}
	}

	private void polls() {
		JsonNode engine = this.java.get("poll").get("engine");
		JsonNode floor = this.java.get("poll").get("floor");
		JsonNode python = (this.python != null) ? this.python.get("poll") : null;
		double requests = median(list(engine.get("early").get("requests")));
		Double pythonRequests = (python != null) ? median(list(python.get("requests"))) : null;
		add(new Row("Unchanged poll: HTTP requests", plain(requests), plain(pythonRequests), "",
				plain(median(list(floor.get("early").get("requests")))), "1", met(requests == 1)));
		double bytes = median(list(engine.get("early").get("bytes")));
		Double pythonBytes = (python != null) ? median(list(python.get("bytes"))) : null;
		add(new Row("Unchanged poll: bytes on the wire (request + answer, headers included)",
				bytes(bytes) + " (" + bytes(median(list(engine.get("early").get("bytesToServer")))) + " + "
						+ bytes(median(list(engine.get("early").get("bytesToClient")))) + ")",
				bytes(pythonBytes), ratio(pythonBytes, bytes), bytes(median(list(floor.get("early").get("bytes")))),
				"< 1 KB", met(bytes < 1024)));
		Double pythonCpu = (python != null) ? median(list(python.get("cpuMicros"))) : null;
		int early = this.java.get("poll").get("earlyPollsBefore").asInt();
		int steady = this.java.get("poll").get("steadyPollsBefore").asInt();
		for (String phase : List.of("early", "steady")) {
			List<Double> cpu = list(engine.get(phase).get("cpuMicros"));
			double javaCpu = median(cpu);
			String when = phase.equals("early") ? "after " + early + " polls (about a day at 5 min; JIT cold)"
					: "after " + steady + " polls (JIT warm)";
			add(new Row("Unchanged poll: client CPU time, " + when, micros(javaCpu), micros(pythonCpu),
					ratio(pythonCpu, javaCpu), micros(median(list(floor.get(phase).get("cpuMicros")))), "< 1 ms",
					met(javaCpu < 1000)));
			addSpread("poll CPU " + phase, cpu, (python != null) ? list(python.get("cpuMicros")) : null, "µs");
			this.notes.put("pollCpu-" + phase, javaCpu);
		}
		List<Double> idleCpu = list(engine.get("idle").get("cpuMicros"));
		double javaIdleCpu = median(idleCpu);
		Double pythonIdleCpu = (python != null) ? median(list(python.get("idleCpuMicros"))) : null;
		double floorIdleCpu = median(list(floor.get("idle").get("cpuMicros")));
		add(new Row("Unchanged poll: client CPU time, JIT warm, each poll after " + this.java.get("poll")
			.get("idlePauseMillis")
			.asInt() + " ms idle (as polls minutes apart come)", micros(javaIdleCpu), micros(pythonIdleCpu),
				ratio(pythonIdleCpu, javaIdleCpu), micros(floorIdleCpu), "< 1 ms", met(javaIdleCpu < 1000)));
		addSpread("poll CPU idle", idleCpu, (python != null) ? list(python.get("idleCpuMicros")) : null, "µs");
		this.notes.put("pollCpu-idle", javaIdleCpu);
		this.notes.put("pollCpuFloor-idle", floorIdleCpu);
		this.notes.put("pollCpuFloor-steady", median(list(floor.get("steady").get("cpuMicros"))));
		if (pythonIdleCpu != null) {
			this.notes.put("pollCpuPython-idle", pythonIdleCpu);
			this.notes.put("pollCpuPython", pythonCpu);
		}
		pollsAtOtherSizes(steady);
		double clientOnly = median(list(this.java.get("poll").get("client").get("early").get("cpuMicros")));
		this.notes.put("pollCpuClientOnly", clientOnly);
		add(new Row("Unchanged poll: client CPU time of the HTTP client alone (fetchVersion), after " + early
				+ " requests (JIT cold)", micros(clientOnly), "", "", "", "", ""));
		for (String phase : List.of("early", "steady")) {
			double wall = median(list(engine.get(phase).get("wallMs")));
			Double pythonWall = (python != null) ? median(list(python.get("wallMs"))) : null;
			add(new Row("Unchanged poll: wall time, " + ((phase.equals("early")) ? "JIT cold" : "JIT warm"), ms(wall),
					ms(pythonWall), ratio(pythonWall, wall), ms(median(list(floor.get(phase).get("wallMs")))), "",
					""));
		}
	}

	/**
	 * One row for each size of configuration the poll was measured against besides the
	 * main one: the engine's client CPU time with the JIT warm, and its requests and bytes,
	 * against the same targets.
	 */
	private void pollsAtOtherSizes(int steadyPollsBefore) {
		JsonNode bySize = this.java.get("poll").get("engineBySize");
		JsonNode pythonBySize = (this.python != null) ? this.python.get("pollBySize") : null;
		for (String size : List.of("1000", "50000")) {
			JsonNode steady = bySize.get(size).get("steady");
			double cpu = median(list(steady.get("cpuMicros")));
			double requests = median(list(steady.get("requests")));
			double bytes = median(list(steady.get("bytes")));
			Double pythonCpu = (pythonBySize != null) ? median(list(pythonBySize.get(size).get("cpuMicros"))) : null;
			add(new Row("Unchanged poll, server of " + count(size) + " skills: client CPU time after "
					+ steadyPollsBefore + " polls (JIT warm), with " + plain(requests) + " request and " + bytes(bytes)
					+ " on the wire", micros(cpu), micros(pythonCpu), ratio(pythonCpu, cpu), "",
					"< 1 ms, 1 request, < 1 KB", met(cpu < 1000 && requests == 1 && bytes < 1024)));
		}
	}

	private void starts() {
		JsonNode start = this.java.get("startFromCache");
		JsonNode python = (this.python != null) ? this.python.get("startFromCache") : null;
		String skills = count(start.get("skills").asString());
		List<Double> cold = list(start.get("coldEngineMs"));
		double coldMedian = median(cold);
		Double pythonCold = (python != null) ? median(list(python.get("coldMs"))) : null;
		add(new Row("Start from a cache of " + skills + " skills, server down, fresh process (JVM start excluded, class loading included)",
				ms(coldMedian) + " (of which " + ms(median(list(start.get("coldConstructMs")))) + " building the client and cache)",
				ms(pythonCold), ratio(pythonCold, coldMedian), ms(median(list(start.get("coldFloorMs")))) + " (read + parse only)",
				"< 100 ms", met(coldMedian < 100)));
		addSpread("start cold", cold, (python != null) ? list(python.get("coldMs")) : null, "ms");
		JsonNode shared = start.get("coldEngineSharedClassesMs");
		if (shared != null) {
			double sharedMedian = median(list(shared));
			add(new Row("Start from a cache of " + skills + " skills, server down, fresh process with a class data "
					+ "sharing archive of the start's classes (`-XX:SharedArchiveFile`)", ms(sharedMedian), "", "", "",
					"< 100 ms", met(sharedMedian < 100)));
			addSpread("start cold, shared classes", list(shared), null, "ms");
			this.notes.put("startColdShared", sharedMedian);
		}
		JsonNode preloaded = start.get("coldEngineClassesLoadedMs");
		if (preloaded != null) {
			double preloadedMedian = median(list(preloaded));
			add(new Row("Start from a cache of " + skills + " skills, server down, fresh process with the start's "
					+ "classes loaded and initialized before the clock, as the Python client's modules are imported "
					+ "before its clock (JIT cold)", ms(preloadedMedian), ms(pythonCold),
					ratio(pythonCold, preloadedMedian), "", "< 100 ms", met(preloadedMedian < 100)));
			addSpread("start cold, classes loaded", list(preloaded), null, "ms");
			this.notes.put("startColdPreloaded", preloadedMedian);
		}
		this.notes.put("startCold", coldMedian);
		this.notes.put("startColdConstruct", median(list(start.get("coldConstructMs"))));
		this.notes.put("startColdFloor", median(list(start.get("coldFloorMs"))));
		for (String size : List.of("1000", "10000", "50000")) {
			JsonNode warm = start.get("warm").get(size);
			JsonNode pythonWarm = (python != null) ? python.get("warm").get(size) : null;
			double engine = median(list(warm.get("engineMs")));
			Double pythonEngine = (pythonWarm != null) ? median(list(pythonWarm.get("warmMs"))) : null;
			double floorLoad = median(list(warm.get("floorLoadMs")));
			boolean targeted = size.equals(start.get("skills").asString());
			if (targeted) {
				this.notes.put("startWarm", engine);
			}
			add(new Row("Start from a cache of " + count(size) + " skills, server down, classes already loaded",
					ms(engine), ms(pythonEngine), ratio(pythonEngine, engine), ms(floorLoad) + " (read + parse only)",
					targeted ? "< 100 ms" : "", targeted ? met(engine < 100) : ""));
			double load = median(list(warm.get("loadMs")));
			Double pythonLoad = (pythonWarm != null) ? median(list(pythonWarm.get("loadMs"))) : null;
			add(new Row("Read the " + count(size) + "-skill cache alone (repository load / _load_from_cache)", ms(load),
					ms(pythonLoad), ratio(pythonLoad, load), ms(floorLoad), "", ""));
		}
	}

	private void heap() {
		for (String size : List.of("1000", "10000", "50000")) {
			JsonNode row = this.java.get("heap").get(size);
			double json = row.get("jsonBytes").asDouble();
			double java = median(list(row.get("snapshotBytes")));
			Double python = (this.python != null) ? median(list(this.python.get("heap").get(size).get("bytes")))
					: null;
			boolean targeted = size.equals("10000");
			add(new Row("Heap retained by one snapshot of " + count(size) + " skills",
					megabytes(java) + " (" + times(java / json) + " JSON)",
					(python != null) ? megabytes(python) + " (" + times(python / json) + " JSON)" : "",
					ratio(python, java), megabytes(json) + " (JSON size)", targeted ? "≤ 3× JSON size" : "",
					targeted ? met(java <= 3 * json) : ""));
		}
	}

	// Rendering

	private String render(String machine, String pythonNote) {
		StringBuilder out = new StringBuilder();
		out.append("# Benchmark results\n\n");
		out.append("Written by `benchmarks/run.sh` on ")
			.append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
			.append(". Every number below comes from the measurement files; none is typed by hand.\n\n");
		if (this.python == null) {
			out.append("**No Python rows:** ").append((pythonNote != null) ? pythonNote : "the Python benchmark did not run")
				.append(".\n\n");
		}
		out.append("Ratio is Python ÷ Java (above 1: Java is faster or smaller). Medians throughout.\n\n");
		out.append("| Measurement | Java median | Python median | Ratio | Floor | Target | Met? |\n");
		out.append("| --- | --- | --- | --- | --- | --- | --- |\n");
		for (Row row : this.rows) {
			out.append("| ").append(String.join(" | ", row.cells())).append(" |\n");
		}
		out.append("\n## Where a target is missed\n\n");
		out.append(missedTargets());
		out.append("\n## How it was measured\n\n");
		out.append("""
				- **Server**: one `StubConfigServer` process (the JDK's `HttpServer` on loopback, `TCP_NODELAY`) serves \
				both clients the same bodies from memory (`Payloads`: skills of about 520 bytes of JSON with name, \
				description, model, prompt, tools, parameters, tags; one workflow per 100 skills). Each `/all` answer \
				alternates between two versions, so every pull puts a new version in force. Full pulls, unchanged \
				polls, starts from the cache with the classes loaded and the heap are each measured at 1,000, 10,000 and \
				50,000 skills; the fresh-process starts and the JIT-cold and idle polls at 10,000.
				- **Java**: the engine built by hand (`Engines`: `WebClientConfigServerClient`, \
				`SqliteConfigCacheRepository`, `ConfigSync` with default settings). Full pulls, warm starts and the \
				heap are measured in one JVM with a fixed heap (`-Xms2g -Xmx2g`, as a server application's), so \
				that G1 growing a small heap is not what is timed. A full pull is \
				`ConfigSync.syncNow(true)` in a warmed JVM; an unchanged poll is `syncNow()`; its client CPU is the sum \
				of every thread's CPU time in the client JVM (`ThreadMXBean`) over the cycle. The unchanged polls \
				run back to back in a JVM of their own, nothing of the benchmark's between them (their requests and \
				bytes are counted over the whole series); the idle series then sleeps before each poll, outside \
				what is measured, and so does the Python client's (`asyncio.sleep`).
				- **Python**: the client of record (`python/agentkit_sync_client.py`, unchanged): `_pull_all()`, \
				`_check_and_sync()` (CPU: `time.process_time`), `start()` with the server down, `_load_from_cache()`, \
				`get_skill()`, `get_skills()`; memory with `tracemalloc`.
				- **Floor**: the least work, measured the same way: the body over `HttpURLConnection`, one pass of \
				Jackson's streaming parser reading every token (no object model), the four rows written in one SQLite \
				transaction on an open connection, each value the received UTF-8 bytes (`CAST(? AS TEXT)`, no String \
				made and encoded again); reading the cache is the mirror image. For lookups: a plain `HashMap.get` on \
				the same skills.
				- **Bytes on the wire**: counted by a TCP proxy in the server process (request line, headers and body \
				both ways).
				- **Read path**: JMH (`ReadPathBenchmark`), average time per operation, median of the measurement \
				iterations; lookups walk all names in a shuffled order with keys equal to, but not the same instances \
				as, the skill names, made one after the other in that order (as a key an application has just read \
				lies in the processor's caches, so what is timed is the lookup, not the fetch of its key). A lookup \
				answers the skill as the application then holds it, a reference it has not yet read through \
				(returned as a `Map` it would be type-checked, a read of the skill); "and a read of one of the \
				skill's fields" adds `skill.get("model")`. "While another thread puts new versions in \
				force": a JMH group where a second thread calls `syncNow(true)` on the same engine in a loop, fed by \
				an in-memory server that alternates two versions.
				- **Heap**: used heap after `System.gc()` before and after holding several snapshots, divided by \
				their number.
				- **Cold start**: each run a fresh JVM (or interpreter), timed from inside, so the JVM's own start is \
				excluded but class loading and JIT warm-up are not. The `JsonMapper` the engine binds types with, in \
				Spring Boot the application's own bean, is made before the clock starts. The Python client's clock \
				starts once its modules (`httpx`, `sqlite3`) are imported; the Java row to set beside it loads and \
				initializes, before its clock, the classes a first run listed (`-XX:DumpLoadedClassList`).
				""");
		out.append("\n## Spread\n\n| Series | Unit | Java n | Java min | Java median | Java max | Python n | Python min | Python median | Python max |\n");
		out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
		for (String[] line : this.spread) {
			out.append("| ").append(String.join(" | ", line)).append(" |\n");
		}
		out.append("\n## Machine\n\n```\n").append(machine.strip()).append("\n```\n");
		return out.toString();
	}

	/**
	 * Explain each missed target with the numbers measured beside it.
	 */
	private String missedTargets() {
		StringBuilder out = new StringBuilder();
		Map<String, Double> n = this.notes;
		double pull = n.get("pull10000");
		double pullFloor = n.get("pullFloor10000");
		Double pullPython = n.get("pullPython10000");
		if (pullPython != null && pullPython < 3 * pull) {
			out.append(String.format(Locale.ROOT, "- **Full pull, 10,000 skills, 3× Python**: Java takes %.1f ms, "
					+ "%.2f× the floor (%.1f ms); Python takes %.1f ms. ", pull, pull / pullFloor, pullFloor,
					pullPython));
			if (pullPython < 3 * pullFloor) {
				out.append(String.format(Locale.ROOT, "The floor (receive the body, one streaming parse, the same "
						+ "durable SQLite transaction of about 5 MB) is itself only %.2f× faster than Python, so no "
						+ "client that does at least that work can be 3× faster than Python on this machine.\n",
						pullPython / pullFloor));
			}
			else if (pull > pullFloor) {
				out.append(String.format(Locale.ROOT, "The engine spends %.1f ms more than the floor (validation, "
						+ "the snapshot and its index, publication, the cache's own connection).\n", pull - pullFloor));
			}
			else {
				out.append("The engine is already faster than the floor, whose steps run one after the other, "
						+ "because its cache write overlaps the validation; what is left is the parse and the "
						+ "disk's sync at commit.\n");
			}
		}
		if (pull > 2 * pullFloor) {
			out.append(String.format(Locale.ROOT, "- **Full pull, 10,000 skills, 2× the floor**: %.2f×.\n",
					pull / pullFloor));
		}
		double lookup = n.get("lookup100000");
		if (lookup >= 50) {
			double floor = n.get("lookupFloor100000");
			out.append(String.format(Locale.ROOT, "- **Lookup at 100,000 skills**: %.1f ns for names taken in a "
					+ "shuffled order over all 100,000 skills, %.2f× a plain HashMap.get on the same skills "
					+ "(%.1f ns). Past about 35,000 skills the index compares packed copies of the names, about "
					+ "a byte a character, so what lookups read at this size is about 3 MB; a lookup still waits "
					+ "for memory twice (the slot with its skill's reference, then the name it compares), and on "
					+ "this machine each is a miss of the second-level cache whose latency varies between runs. "
					+ "The same lookup over 64 names asked again and again takes %.1f ns. With the heap on "
					+ "transparent huge pages, so that the few megabytes a lookup reads are mapped by a few "
					+ "entries of the processor's address translation cache instead of several hundred, it takes "
					+ "%.1f ns.\n", lookup, lookup / floor, floor, n.get("lookupHot"), n.get("lookupOnHugePages")));
		}
		for (String phase : List.of("early", "steady")) {
			double cpu = n.get("pollCpu-" + phase);
			if (cpu >= 1000) {
				out.append(String.format(Locale.ROOT, "- **Unchanged poll CPU (%s)**: %.0f µs. The HTTP client "
						+ "alone (WebClient on Reactor Netty), after as many requests in a JVM of its own, takes %.0f µs "
						+ "a request; most of that code is still interpreted this early. Once the JIT has compiled the "
						+ "path the whole cycle takes %.0f µs.\n", phase.equals("early") ? "JIT cold" : "JIT warm", cpu,
						n.get("pollCpuClientOnly"), n.get("pollCpu-steady")));
			}
		}
		double idle = n.get("pollCpu-idle");
		if (idle >= 1000) {
			out.append(String.format(Locale.ROOT, "- **Unchanged poll CPU (JIT warm, after idle)**: %.0f µs, where "
					+ "the same compiled cycle takes %.0f µs back to back. Between polls the processor's caches, "
					+ "branch history and address translations most likely let go of the path (this machine's "
					+ "processor counters cannot be read to confirm it), so each poll fetches its code and data "
					+ "again, and the path is long: WebClient, Reactor and Netty, with the engine's own code about a "
					+ "tenth of a poll's samples in a profile. The bare `HttpURLConnection` floor goes from %.0f to %.0f µs the same "
					+ "way%s.\n", idle, n.get("pollCpu-steady"), n.get("pollCpuFloor-steady"),
					n.get("pollCpuFloor-idle"),
					n.containsKey("pollCpuPython-idle") ? String.format(Locale.ROOT, ", the Python client from %.0f to %.0f µs",
							n.get("pollCpuPython"), n.get("pollCpuPython-idle")) : ""));
		}
		double cold = n.get("startCold");
		if (cold >= 100) {
			out.append(String.format(Locale.ROOT, "- **Start from the cache in a fresh JVM**: %.1f ms, of which "
					+ "%.1f ms build the WebClient client and the SQLite repository (loading and linking their "
					+ "classes). Reading and parsing the same cache with nothing else (the floor) takes %.1f ms in a "
					+ "fresh JVM, so the time is the JVM loading and interpreting code for the first time; with the "
					+ "classes loaded the whole start takes %.1f ms. The engine loads the SQLite driver while its "
					+ "first request is under way, so that part of it is not added.%s%s\n", cold,
					n.get("startColdConstruct"), n.get("startColdFloor"), n.get("startWarm"),
					n.containsKey("startColdShared") ? String.format(Locale.ROOT, " With a class data sharing "
							+ "archive of the classes a start loads (a deployment choice: `-XX:ArchiveClassesAtExit` "
							+ "once, `-XX:SharedArchiveFile` after) a fresh start takes %.1f ms.",
							n.get("startColdShared")) : "",
					n.containsKey("startColdPreloaded") ? String.format(Locale.ROOT, " With every class the start "
							+ "loads loaded and initialized before the clock (as the Python client's timing begins "
							+ "once its modules are imported) it takes %.1f ms: what is left is the first run of "
							+ "code the JIT has not compiled yet (Netty's first connection, the parse of 5 MB of "
							+ "JSON), which a warm JVM does in the %.1f ms above.", n.get("startColdPreloaded"),
							n.get("startWarm")) : ""));
		}
		if (out.length() == 0) {
			out.append("Every target is met.\n");
		}
		return out.toString();
	}

	private void add(Row row) {
		this.rows.add(row);
	}

	private void addSpread(String name, List<Double> java, List<Double> python, String unit) {
		List<String> line = new ArrayList<>(List.of(name, unit));
		line.addAll(summary(java));
		line.addAll((python != null) ? summary(python) : List.of("", "", "", ""));
		this.spread.add(line.toArray(new String[0]));
	}

	private static List<String> summary(List<Double> samples) {
		double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return List.of(String.valueOf(sorted.length), number(sorted[0]), number(median(samples)),
				number(sorted[sorted.length - 1]));
	}

	private Double pythonMedian(String series, String size) {
		if (this.python == null || this.python.get(series) == null) {
			return null;
		}
		return median(list(this.python.get(series).get(size)));
	}

	// Numbers

	static double median(List<Double> samples) {
		double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		check(sorted.length > 0, "no samples");
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	private static List<Double> list(JsonNode array) {
		List<Double> values = new ArrayList<>();
		array.forEach((value) -> values.add(value.asDouble()));
		return values;
	}

	private static String count(String size) {
		return String.format(Locale.ROOT, "%,d", Integer.parseInt(size));
	}

	private static String time(Double nanos) {
		if (nanos == null) {
			return "";
		}
		if (nanos < 1_000) {
			return String.format(Locale.ROOT, "%.1f ns", nanos);
		}
		if (nanos < 1_000_000) {
			return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
		}
		return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
	}

	private static String ms(Double millis) {
		return (millis != null) ? String.format(Locale.ROOT, "%.1f ms", millis) : "";
	}

	private static String micros(Double micros) {
		return (micros != null) ? String.format(Locale.ROOT, "%.0f µs", micros) : "";
	}

	private static String bytes(Double bytes) {
		return (bytes != null) ? String.format(Locale.ROOT, "%.0f B", bytes) : "";
	}

	private static String megabytes(double bytes) {
		return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
	}

	private static String plain(Double value) {
		return (value != null) ? number(value) : "";
	}

	private static String number(double value) {
		if (value == Math.rint(value) && Math.abs(value) < 1e15) {
			return String.valueOf((long) value);
		}
		return (Math.abs(value) >= 100) ? String.format(Locale.ROOT, "%.0f", value)
				: String.format(Locale.ROOT, "%.3g", value);
	}

	private static String times(double ratio) {
		return String.format(Locale.ROOT, "%.2f×", ratio);
	}

	private static String ratio(Double python, double java) {
		return (python != null) ? times(python / java) : "";
	}

	private static String met(boolean met) {
		return met ? "yes" : "**no**";
	}

	private static void check(boolean condition, String message) {
		if (!condition) {
			throw new IllegalStateException(message);
		}
	}

	/**
	 * One line of the table.
	 */
	private record Row(String measurement, String java, String python, String ratio, String floor, String target,
			String met) {

		String[] cells() {
			return Arrays.stream(new String[] { this.measurement, this.java, this.python, this.ratio, this.floor,
					this.target, this.met })
				.map((cell) -> cell.isEmpty() ? "—" : cell)
				.toArray(String[]::new);
		}

	}

}
