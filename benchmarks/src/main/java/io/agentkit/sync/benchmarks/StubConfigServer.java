package io.agentkit.sync.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An AgentKit-compatible server on loopback, on the JDK's {@link HttpServer}, serving the
 * {@link Payloads} bodies from memory: the configuration of {@code n} skills lives under
 * {@code /s<n>}, so {@code http://127.0.0.1:<port>/s10000} is a server URL. Each
 * {@code /all} answer alternates between the two variants of a size and
 * {@code /version} answers the version of the last {@code /all} answer, so a client that
 * pulls sees a new version every time and a client that polls after a pull sees none.
 * Each URL prefix alternates on its own: {@code /s10000-floor} serves the same bodies as
 * {@code /s10000} to a second client.
 * <p>
 * A {@link WireCountingProxy} in front of it counts the bytes on the wire; {@code GET
 * /_bench/stats} (on the server port, not through the proxy) answers the request and byte
 * counters as JSON. Run {@link #main(String[])} to serve both clients from one process.
 */
public final class StubConfigServer implements AutoCloseable {

	private static final String VERSION_PATH = "/api/v1/config/version";

	private static final String ALL_PATH = "/api/v1/config/all";

	private final HttpServer server;

	private final ExecutorService executor;

	private final WireCountingProxy proxy;

	private final Map<String, Dataset> datasets = new LinkedHashMap<>();

	private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

	private final AtomicLong versionRequests = new AtomicLong();

	private final AtomicLong allRequests = new AtomicLong();

	private StubConfigServer(List<Integer> sizes) throws IOException {
		for (int size : sizes) {
			this.datasets.put("/s" + size, new Dataset(size));
		}
		// Without it, small answers wait for the client's delayed ACK (Nagle): 40 ms a request.
		System.setProperty("sun.net.httpserver.nodelay", "true");
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
		AtomicInteger threads = new AtomicInteger();
		this.executor = Executors.newFixedThreadPool(4, (runnable) -> {
			Thread thread = new Thread(runnable, "stub-server-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
		this.server.start();
		this.proxy = new WireCountingProxy(this.server.getAddress().getPort());
	}

	/**
	 * Start a server offering the given sizes.
	 * @param sizes the numbers of skills to offer
	 * @return the running server
	 * @throws IOException when it cannot listen
	 */
	public static StubConfigServer start(List<Integer> sizes) throws IOException {
		return new StubConfigServer(sizes);
	}

	/**
	 * Return the server URL of one size, straight to the server.
	 * @param size the number of skills
	 * @return the URL
	 */
	public URI url(int size) {
		return URI.create("http://127.0.0.1:" + port() + "/s" + size);
	}

	/**
	 * Return the server URL of one size, through the byte-counting proxy.
	 * @param size the number of skills
	 * @return the URL
	 */
	public URI proxiedUrl(int size) {
		return URI.create("http://127.0.0.1:" + this.proxy.port() + "/s" + size);
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	/**
	 * Return the counters.
	 * @return requests served and bytes seen by the proxy
	 */
	public WireStats stats() {
		return new WireStats(this.versionRequests.get(), this.allRequests.get(), this.proxy.toServer(),
				this.proxy.toClient());
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			if (path.equals("/_bench/stats")) {
				send(exchange, stats().toJson().getBytes(StandardCharsets.UTF_8));
				return;
			}
			int api = path.indexOf("/api/");
			String prefix = (api > 0) ? path.substring(0, api) : "";
			int lane = prefix.indexOf('-');
			Dataset dataset = this.datasets.get((lane > 0) ? prefix.substring(0, lane) : prefix);
			if (dataset == null || !"GET".equals(exchange.getRequestMethod())) {
				exchange.sendResponseHeaders(404, -1);
				return;
			}
			Lane versions = this.lanes.computeIfAbsent(prefix, (key) -> new Lane());
			String endpoint = path.substring(api);
			if (endpoint.equals(VERSION_PATH)) {
				this.versionRequests.incrementAndGet();
				send(exchange, dataset.versionBodies[versions.current]);
			}
			else if (endpoint.equals(ALL_PATH)) {
				this.allRequests.incrementAndGet();
				send(exchange, dataset.bodies[versions.next()]);
			}
			else {
				exchange.sendResponseHeaders(404, -1);
			}
		}
	}

	private static void send(HttpExchange exchange, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	@Override
	public void close() throws IOException {
		this.proxy.close();
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	/**
	 * Serve from this process until killed. Arguments: the sizes to offer (default: all
	 * of {@link Payloads#SIZES}). Prints one JSON line with the two ports once ready.
	 * @param args the sizes
	 * @throws IOException when it cannot listen
	 * @throws InterruptedException when interrupted
	 */
	public static void main(String[] args) throws IOException, InterruptedException {
		List<Integer> sizes = (args.length > 0) ? java.util.Arrays.stream(args).map(Integer::valueOf).toList()
				: Payloads.SIZES;
		StubConfigServer server = start(sizes);
		System.out.println("{\"port\": " + server.port() + ", \"proxyPort\": " + server.proxy.port() + "}");
		System.out.flush();
		Thread.currentThread().join();
	}

	/**
	 * What the server and its proxy have counted so far.
	 *
	 * @param versionRequests {@code /version} requests served
	 * @param allRequests {@code /all} requests served
	 * @param bytesToServer bytes the proxy passed from clients to the server
	 * @param bytesToClient bytes the proxy passed from the server to clients
	 */
	public record WireStats(long versionRequests, long allRequests, long bytesToServer, long bytesToClient) {

		String toJson() {
			return "{\"versionRequests\": " + this.versionRequests + ", \"allRequests\": " + this.allRequests
					+ ", \"bytesToServer\": " + this.bytesToServer + ", \"bytesToClient\": " + this.bytesToClient + "}";
		}

	}

	private static final class Dataset {

		private final byte[][] bodies;

		private final byte[][] versionBodies;

		Dataset(int size) {
			this.bodies = new byte[][] { Payloads.body(size, 0), Payloads.body(size, 1) };
			this.versionBodies = new byte[][] { versionJson(size, 0), versionJson(size, 1) };
		}

		private static byte[] versionJson(int size, int variant) {
			return ("{\"version\": \"" + Payloads.version(size, variant) + "\"}").getBytes(StandardCharsets.UTF_8);
		}

	}

	/**
	 * Which variant one URL prefix serves: each prefix alternates on its own, so two
	 * clients taking turns each see a new version at every pull.
	 */
	private static final class Lane {

		private final AtomicInteger served = new AtomicInteger();

		private volatile int current;

		int next() {
			int variant = this.served.getAndIncrement() & 1;
			this.current = variant;
			return variant;
		}

	}

}
