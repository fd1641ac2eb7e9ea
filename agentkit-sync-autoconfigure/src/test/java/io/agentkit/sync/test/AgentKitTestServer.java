package io.agentkit.sync.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.util.FileSystemUtils;

/**
 * A real AgentKit server on loopback for tests: serves a configuration that a test can
 * change, and records the requests it received. Registered as an extension on a static
 * field ({@code @RegisterExtension}), it is closed after the test class, with the cache
 * folder it gave the class's Spring test context.
 */
public final class AgentKitTestServer implements AutoCloseable, AfterAllCallback {

	private final MockWebServer server = new MockWebServer();

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	private final AtomicInteger allRequests = new AtomicInteger();

	private volatile String version = "v1";

	private volatile String skills = "[{\"name\":\"summarize\",\"model\":\"m1\"}]";

	private volatile String workflows = "[{\"workflow_id\":\"triage\",\"steps\":[]}]";

	private volatile int status = 200;

	private volatile @Nullable Path cacheFolder;

	/**
	 * Start the server on a free loopback port.
	 * @throws IOException when it cannot start
	 */
	public AgentKitTestServer() throws IOException {
		this.server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				AgentKitTestServer.this.requests.add(request);
				return respond(request.getTarget());
			}

		});
		this.server.start();
	}

	/**
	 * Start a server, for a static field of a test class: failing to start fails the class.
	 * @return the running server
	 */
	public static AgentKitTestServer start() {
		try {
			return new AgentKitTestServer();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Point the starter of a Spring test context at this server, with its cache in the
	 * given file (asked for when the context starts, so a static {@code @TempDir} works).
	 * @param registry the test context's dynamic properties
	 * @param cacheFile the cache file
	 */
	public void registerSyncProperties(DynamicPropertyRegistry registry, Supplier<Path> cacheFile) {
		registry.add("agentkit.sync.server-url", this::url);
		registry.add("agentkit.sync.cache-db-path", () -> cacheFile.get().toString());
	}

	/**
	 * Point the starter of a Spring test context at this server, with its cache in a
	 * folder of its own that {@link #close()} deletes.
	 * @param registry the test context's dynamic properties
	 */
	public void registerSyncProperties(DynamicPropertyRegistry registry) {
		registerSyncProperties(registry, () -> cacheFolder().resolve("cache.db"));
	}

	private synchronized Path cacheFolder() {
		Path folder = this.cacheFolder;
		if (folder == null) {
			try {
				folder = Files.createTempDirectory("agentkit-sync-test");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			this.cacheFolder = folder;
		}
		return folder;
	}

	private MockResponse respond(String target) {
		if (this.status != 200) {
			return new MockResponse.Builder().code(this.status).build();
		}
		if (target.endsWith("/api/v1/config/version")) {
			return json("{\"version\":\"" + this.version + "\"}");
		}
		if (target.endsWith("/api/v1/config/all")) {
			this.allRequests.incrementAndGet();
			return json("{\"version\":\"" + this.version + "\",\"skills\":" + this.skills + ",\"workflows\":"
					+ this.workflows + ",\"synced_at\":\"2026-11-24T10:00:00Z\"}");
		}
		return new MockResponse.Builder().code(404).build();
	}

	private static MockResponse json(String body) {
		return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
	}

	/**
	 * Return the base URL.
	 * @return the URL, without a trailing slash
	 */
	public String url() {
		return "http://localhost:" + this.server.getPort();
	}

	/**
	 * Serve a new configuration.
	 * @param version the version
	 * @param skills the skills array as JSON text
	 * @param workflows the workflows array as JSON text
	 */
	public void serve(String version, String skills, String workflows) {
		this.version = version;
		this.skills = skills;
		this.workflows = workflows;
	}

	/**
	 * Answer every request with the given status (200 to serve again).
	 * @param status the HTTP status
	 */
	public void answerWith(int status) {
		this.status = status;
	}

	/**
	 * Return the requests received so far.
	 * @return the requests
	 */
	public List<RecordedRequest> requests() {
		return List.copyOf(this.requests);
	}

	/**
	 * Return how many {@code /all} requests were served.
	 * @return the count
	 */
	public int allRequestCount() {
		return this.allRequests.get();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	@Override
	public void close() {
		this.server.close();
		Path folder = this.cacheFolder;
		if (folder != null) {
			try {
				FileSystemUtils.deleteRecursively(folder);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

}
