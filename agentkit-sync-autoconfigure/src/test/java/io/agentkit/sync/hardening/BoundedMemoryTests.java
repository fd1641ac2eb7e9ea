package io.agentkit.sync.hardening;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bounded memory: against a server whose {@code /all} body never ends (chunked), or
 * announces 1 GB, a child JVM with a 256 MB heap fails the pull cleanly at the maximum
 * payload size with {@code PAYLOAD_TOO_LARGE}, keeps the previous configuration in force
 * and in the cache, and exits normally. The server sees the client stop reading soon
 * after the limit.
 */
class BoundedMemoryTests {

	private static final long MAX_PAYLOAD = 16L * 1024 * 1024;

	private static final long ONE_GB = 1024L * 1024 * 1024;

	@TempDir
	Path temp;

	@Test
	void endlessBodyFailsAtMaxPayloadSizeAndSmallHeapSurvives() throws Exception {
		try (HugeBodyServer server = new HugeBodyServer()) {
			ChildJvm child = ChildJvm.start(List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"),
					PayloadLimitChild.class, server.url(), this.temp.resolve("cache.db").toString(),
					Long.toString(MAX_PAYLOAD));
			try (child) {
				assertThat(child.process().waitFor(120, TimeUnit.SECONDS)).as(child.output()).isTrue();
				assertThat(child.process().exitValue()).as(child.output()).isZero();
			}
			List<String> report = child.drain();
			assertThat(report).as(child.output())
				.contains("STARTED v1", "RESULT FAILED v1", "REASON PAYLOAD_TOO_LARGE", "INFORCE v1", "CACHED v1",
						"DONE");
			assertThat(report).filteredOn((line) -> line.startsWith("ERROR "))
				.singleElement()
				.asString()
				.contains("/api/v1/config/all")
				.contains("agentkit.sync.max-payload-size");
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.hugeBodiesSent.size() == 2);
			assertThat(server.hugeBodiesSent).as("bytes of each huge body sent before the client hung up")
				.allSatisfy((sent) -> assertThat(sent).isGreaterThanOrEqualTo(0).isLessThan(3 * MAX_PAYLOAD));
		}
	}

	/**
	 * Serves v1 on the first {@code /all}; then {@code /version} says v2 and {@code /all}
	 * sends a body that never ends (chunked), then one that announces 1 GB.
	 */
	private static final class HugeBodyServer implements AutoCloseable {

		private final HttpServer server;

		private final ExecutorService executor = Executors.newCachedThreadPool();

		private final AtomicInteger allRequests = new AtomicInteger();

		final List<Long> hugeBodiesSent = new CopyOnWriteArrayList<>();

		HugeBodyServer() throws IOException {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
			this.server.setExecutor(this.executor);
			this.server.createContext("/api/v1/config/version", (exchange) -> send(exchange, "{\"version\":\"v2\"}"));
			this.server.createContext("/api/v1/config/all", (exchange) -> {
				int request = this.allRequests.incrementAndGet();
				if (request == 1) {
					send(exchange, StampedConfig.body("v1", 10));
				}
				else {
					this.hugeBodiesSent.add(sendHuge(exchange, (request == 2) ? 0 : ONE_GB));
				}
			});
			this.server.start();
		}

		private static void send(HttpExchange exchange, String body) throws IOException {
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		}

		/**
		 * Send a valid-looking body that goes on until the client hangs up (or 1 GB is
		 * sent). A length of 0 means chunked, without end.
		 * @return the bytes sent
		 */
		private static long sendHuge(HttpExchange exchange, long length) {
			long sent = 0;
			byte[] item = ("{\"name\":\"s\",\"pad\":\"" + "x".repeat(8 * 1024) + "\"},")
				.getBytes(StandardCharsets.US_ASCII);
			try (exchange) {
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, length);
				OutputStream out = exchange.getResponseBody();
				byte[] head = "{\"version\":\"v2\",\"skills\":[".getBytes(StandardCharsets.US_ASCII);
				out.write(head);
				sent += head.length;
				long limit = (length > 0) ? length : Long.MAX_VALUE;
				while (sent + item.length <= limit) {
					out.write(item);
					sent += item.length;
				}
				byte[] tail = new byte[(int) (limit - sent)];
				Arrays.fill(tail, (byte) ' ');
				out.write(tail);
				sent += tail.length;
			}
			catch (IOException ex) {
				// The client hung up: what we want.
			}
			return sent;
		}

		String url() {
			return "http://127.0.0.1:" + this.server.getAddress().getPort();
		}

		@Override
		public void close() {
			this.server.stop(0);
			this.executor.shutdownNow();
		}

	}

}
