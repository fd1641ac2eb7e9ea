package io.agentkit.sync.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.agentkit.sync.SyncOutcome;
import io.agentkit.sync.SyncResult;
import io.agentkit.sync.benchmarks.Engines.Engine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Unchanged polls, run in a fresh JVM by {@link EndToEnd} so that no other series has
 * warmed the JIT: {@code engine} calls {@code ConfigSync.syncNow()}, {@code client} only
 * the HTTP client's {@code fetchVersion()}, {@code floor} a bare
 * {@link HttpURLConnection} request and parse. Each poll goes through the server's
 * byte-counting proxy; a series' requests and bytes are read from the server's counters
 * before and after all its polls (each poll is the same, so each is the total divided by
 * the polls), and each poll's client CPU time from {@link CpuClock}. Measures polls 251 to 301 ("early") and, but for
 * {@code client}, 5,001 to 5,051 ("steady") and then 51 more, each after {@value #IDLE_PAUSE_MILLIS} ms of
 * sleep ("idle"), as polls minutes apart come: the JIT has compiled the path, but what the
 * processor keeps of it (caches, branch history) has gone cold meanwhile. Arguments: mode,
 * server port, proxy port, work folder and, optionally, the number of skills the server
 * serves (default {@value #SIZE}). Prints one JSON line.
 */
public final class PollRun {

	/**
	 * Polls before the early series: about a day at the default interval, when the JIT
	 * has compiled little of the path.
	 */
	static final int EARLY_POLLS_BEFORE = 250;

	/**
	 * Polls before the steady series: enough for the JIT to compile the whole path.
	 */
	static final int STEADY_POLLS_BEFORE = 5_000;

	/**
	 * The sleep before each poll of the idle series.
	 */
	static final int IDLE_PAUSE_MILLIS = 20;

	private static final int POLLS_MEASURED = 51;

	/**
	 * The number of skills the server serves, unless told another.
	 */
	static final int SIZE = 10_000;

	private final int serverPort;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private PollRun(int serverPort) {
		this.serverPort = serverPort;
	}

	/**
	 * Run one series.
	 * @param args mode, server port, proxy port, work folder[, skills]
	 * @throws Exception when a poll fails
	 */
	public static void main(String[] args) throws Exception {
		String mode = args[0];
		PollRun run = new PollRun(Integer.parseInt(args[1]));
		int proxyPort = Integer.parseInt(args[2]);
		int size = (args.length > 4) ? Integer.parseInt(args[4]) : SIZE;
		Path cacheFile = Path.of(args[3]).resolve("poll-" + mode + "-" + size + ".db");
		Files.deleteIfExists(cacheFile);
		URI url = EndToEnd.url(proxyPort, size);
		Map<String, Object> results = new LinkedHashMap<>();
		if (mode.equals("floor")) {
			try (Floor floor = new Floor(url, cacheFile)) {
				String version = floor.pull().version();
				run.series(results, true, () -> EndToEnd.check(floor.versionEquals(version), "the version changed"));
			}
		}
		else {
			try (Engine engine = Engines.create(url, cacheFile)) {
				engine.sync().start();
				String version = engine.sync().getVersion();
				if (mode.equals("engine")) {
					run.series(results, true, () -> {
						SyncResult result = engine.sync().syncNow();
						// The message is made only on failure: its string is not the client's work.
						if (result.outcome() != SyncOutcome.UNCHANGED) {
							throw new IllegalStateException("the poll was not unchanged: " + result);
						}
					});
				}
				else {
					run.series(results, false,
							() -> EndToEnd.check(engine.client().fetchVersion().equals(version), "the version changed"));
				}
			}
		}
		System.out.println(run.mapper.writeValueAsString(results));
		System.exit(0);
	}

	private void series(Map<String, Object> results, boolean steady, Measured poll) throws Exception {
		results.put("early", measure(poll, EARLY_POLLS_BEFORE, 0));
		if (steady) {
			results.put("steady", measure(poll, STEADY_POLLS_BEFORE - EARLY_POLLS_BEFORE - POLLS_MEASURED, 0));
			results.put("idle", measure(poll, 0, IDLE_PAUSE_MILLIS));
		}
	}

	private Map<String, List<Double>> measure(Measured poll, int before, long pauseMillis) throws Exception {
		// The wire is counted over all the polls, so no request of the benchmark's own runs near the polls
		// measured and competes with them for the JIT; every poll is the same.
		JsonNode statsBefore = stats();
		for (int i = 0; i < before; i++) {
			poll.run();
		}
		List<Double> cpuMicros = new ArrayList<>();
		List<Double> wallMs = new ArrayList<>();
		for (int i = 0; i < POLLS_MEASURED; i++) {
			Thread.sleep(pauseMillis);
			Map<Long, Long> othersBefore = CpuClock.otherThreads();
			long selfBefore = CpuClock.currentThread();
			long start = System.nanoTime();
			poll.run();
			long wall = System.nanoTime() - start;
			long selfAfter = CpuClock.currentThread();
			Map<Long, Long> othersAfter = CpuClock.otherThreads();
			cpuMicros.add(((selfAfter - selfBefore) + CpuClock.elapsed(othersBefore, othersAfter)) / 1e3);
			wallMs.add(wall / 1e6);
		}
		JsonNode statsAfter = stats();
		Map<String, List<Double>> samples = new LinkedHashMap<>();
		double polls = before + POLLS_MEASURED;
		long requests = delta(statsBefore, statsAfter, "versionRequests") + delta(statsBefore, statsAfter, "allRequests");
		long toServer = delta(statsBefore, statsAfter, "bytesToServer");
		long toClient = delta(statsBefore, statsAfter, "bytesToClient");
		samples.put("requests", List.of(requests / polls));
		samples.put("bytes", List.of((toServer + toClient) / polls));
		samples.put("bytesToServer", List.of(toServer / polls));
		samples.put("bytesToClient", List.of(toClient / polls));
		samples.put("cpuMicros", cpuMicros);
		samples.put("wallMs", wallMs);
		return samples;
	}

	private static long delta(JsonNode before, JsonNode after, String field) {
		return after.get(field).asLong() - before.get(field).asLong();
	}

	private JsonNode stats() throws IOException {
		// HttpURLConnection runs on the calling thread, outside the measured window.
		HttpURLConnection connection = (HttpURLConnection) URI
			.create("http://127.0.0.1:" + this.serverPort + "/_bench/stats")
			.toURL()
			.openConnection();
		try (InputStream in = connection.getInputStream()) {
			return this.mapper.readTree(in);
		}
	}

	@FunctionalInterface
	private interface Measured {

		void run() throws Exception;

	}

}
