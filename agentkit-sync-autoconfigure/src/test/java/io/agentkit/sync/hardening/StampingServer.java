package io.agentkit.sync.hardening;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An AgentKit server on the JDK's {@link HttpServer}, bound to 127.0.0.1, whose version
 * changes with every request: {@code /version} and {@code /all} each answer the next
 * version, and {@code /all} stamps it into every skill and workflow
 * ({@link StampedConfig}).
 */
final class StampingServer implements AutoCloseable {

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "stamping-server");
		thread.setDaemon(true);
		return thread;
	});

	private final int skills;

	private final AtomicLong versions = new AtomicLong();

	private final AtomicInteger versionRequests = new AtomicInteger();

	private final AtomicInteger allRequests = new AtomicInteger();

	private volatile Duration delay = Duration.ZERO;

	StampingServer(int skills) throws IOException {
		this.skills = skills;
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
		this.server.setExecutor(this.executor);
		this.server.createContext("/api/v1/config/version", (exchange) -> {
			this.versionRequests.incrementAndGet();
			String version = StampedConfig.version(this.versions.incrementAndGet());
			send(exchange, "{\"version\":\"" + version + "\"}");
		});
		this.server.createContext("/api/v1/config/all", (exchange) -> {
			this.allRequests.incrementAndGet();
			String version = StampedConfig.version(this.versions.incrementAndGet());
			send(exchange, StampedConfig.body(version, this.skills));
		});
		this.server.start();
	}

	private void send(HttpExchange exchange, String body) throws IOException {
		try (exchange) {
			sleep(this.delay);
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		}
		catch (IOException ex) {
			// The client went away (killed or cancelled): nothing to answer.
		}
	}

	private static void sleep(Duration delay) {
		if (!delay.isZero()) {
			try {
				Thread.sleep(delay.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Delay every answer by the given time.
	 */
	void delay(Duration delay) {
		this.delay = delay;
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	int versionRequests() {
		return this.versionRequests.get();
	}

	int allRequests() {
		return this.allRequests.get();
	}

	/**
	 * Return the last version handed out.
	 */
	long lastVersion() {
		return this.versions.get();
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
