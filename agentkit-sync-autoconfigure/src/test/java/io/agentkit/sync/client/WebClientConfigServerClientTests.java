package io.agentkit.sync.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import io.agentkit.sync.ConfigDocument;
import io.agentkit.sync.ConfigDocumentReader;
import io.agentkit.sync.TokenProvider;
import io.agentkit.sync.test.MutableClock;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.netty.handler.ssl.SslContextBuilder;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests for {@link WebClientConfigServerClient} against a real HTTP server.
 */
class WebClientConfigServerClientTests {

	private static final String TOKEN = "s3cr3t-t0ken";

	private static final String ALL_BODY = """
			{"version": "v1", "skills": [{"name": "a", "x": 1}], "workflows": [{"workflow_id": "w"}],
			 "synced_at": "2026-01-01T00:00:00Z"}
			""";

	private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));

	private final List<WebClientConfigServerClient> clients = new ArrayList<>();

	private MockWebServer server;

	@BeforeEach
	void startServer() throws IOException {
		this.server = new MockWebServer();
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.clients.forEach(WebClientConfigServerClient::close);
		this.server.close();
	}

	@Test
	void everyRequestCarriesAcceptAndABearerTokenAskedForPerRequest() throws InterruptedException {
		AtomicInteger calls = new AtomicInteger();
		WebClientConfigServerClient client = client(() -> "token-" + calls.incrementAndGet());
		this.server.enqueue(json("{\"version\": \"v1\"}"));
		this.server.enqueue(json(ALL_BODY));
		assertThat(client.fetchVersion()).isEqualTo("v1");
		assertThat(client.fetchAll().snapshot().version()).isEqualTo("v1");
		RecordedRequest version = take();
		RecordedRequest all = take();
		assertThat(version.getMethod()).isEqualTo("GET");
		assertThat(version.getUrl().encodedPath()).isEqualTo("/api/v1/config/version");
		assertThat(version.getHeaders().get("Accept")).isEqualTo("application/json");
		assertThat(version.getHeaders().get("Authorization")).isEqualTo("Bearer token-1");
		assertThat(all.getUrl().encodedPath()).isEqualTo("/api/v1/config/all");
		assertThat(all.getHeaders().get("Accept")).isEqualTo("application/json");
		assertThat(all.getHeaders().get("Authorization")).isEqualTo("Bearer token-2");
		assertThat(calls).hasValue(2);
	}

	@Test
	void applicationsFiltersDefaultHeadersAndObservationApplyButItsCodecsDoNotChangeHowAnswersAreRead()
			throws InterruptedException {
		List<String> filtered = new ArrayList<>();
		List<String> observed = new CopyOnWriteArrayList<>();
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof ClientRequestObservationContext;
			}

			@Override
			public void onStop(Observation.Context context) {
				ClientRequest request = ((ClientRequestObservationContext) context).getRequest();
				observed.add(context.getName() + " " + ((request != null) ? request.url().getPath() : null) + " uri="
						+ context.getLowCardinalityKeyValue("uri").getValue());
			}

		});
		WebClient.Builder builder = WebClient.builder().observationRegistry(observations);
		builder.defaultHeader("X-Tenant", "acme").filter((request, next) -> {
			filtered.add(request.url().getPath());
			return next.exchange(ClientRequest.from(request).header("X-Trace", "t-1").build());
		})
			// A limit of the application's own: answers are read by the client's one codec, with its limit.
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(16));
		WebClientConfigServerClient client = track(new WebClientConfigServerClient(builder,
				URI.create(this.server.url("/").toString()), () -> TOKEN, Duration.ofSeconds(5),
				DataSize.ofKilobytes(1), false, new ConfigDocumentReader(), this.clock));
		this.server.enqueue(json(ALL_BODY));
		assertThat(client.fetchAll().snapshot().skills()).hasSize(1);
		RecordedRequest request = take();
		assertThat(request.getHeaders().get("X-Tenant")).isEqualTo("acme");
		assertThat(request.getHeaders().get("X-Trace")).isEqualTo("t-1");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
		assertThat(filtered).containsExactly("/api/v1/config/all");
		assertThat(observed).containsExactly("http.client.requests /api/v1/config/all uri=/api/v1/config/all");
		this.server.enqueue(json("{\"version\": \"v1\"}"));
		assertThat(client.fetchVersion()).isEqualTo("v1");
		assertThat(observed).last().isEqualTo("http.client.requests /api/v1/config/version uri=/api/v1/config/version");
		this.server.enqueue(json("{\"version\": \"v1\", \"skills\": [], \"workflows\": [], \"pad\": \""
				+ "x".repeat(2048) + "\"}"));
		assertThat(failure(client::fetchAll).getReason()).isEqualTo(ConfigServerException.Reason.PAYLOAD_TOO_LARGE);
	}

	@Test
	void applicationsFilterThatReadsAnswersAsTextLeavesThemToTheClient() {
		List<String> logged = new CopyOnWriteArrayList<>();
		WebClient.Builder builder = WebClient.builder()
			// A logging filter: it reads each answer as text, then hands on a copy.
			.filter(ExchangeFilterFunction.ofResponseProcessor((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> {
					logged.add(response.statusCode().value() + " " + body.strip());
					return response.mutate().body(body).build();
				})));
		WebClientConfigServerClient client = track(new WebClientConfigServerClient(builder,
				URI.create(this.server.url("/").toString()), () -> TOKEN, Duration.ofSeconds(5),
				DataSize.ofMegabytes(1), false, new ConfigDocumentReader(), this.clock));
		this.server.enqueue(json(ALL_BODY));
		assertThat(client.fetchAll().snapshot().skills()).hasSize(1);
		this.server.enqueue(new MockResponse.Builder().code(503)
			.setHeader("Content-Type", "application/json")
			.setHeader("Retry-After", "7")
			.body("{\"error\": \"maintenance\"}")
			.build());
		ConfigServerException unavailable = failure(client::fetchAll);
		assertThat(unavailable.getReason()).isEqualTo(ConfigServerException.Reason.HTTP_STATUS);
		assertThat(unavailable.getMessage()).contains("HTTP 503", "Retry-After 7s", "maintenance");
		assertThat(logged).containsExactly("200 " + ALL_BODY.strip(), "503 {\"error\": \"maintenance\"}");
	}

	@Test
	void noAuthorizationHeaderIsSentWhenTheProviderGivesNoToken() throws InterruptedException {
		WebClientConfigServerClient client = client(() -> null);
		this.server.enqueue(json("{\"version\": \"v1\"}"));
		client.fetchVersion();
		RecordedRequest request = take();
		assertThat(request.getHeaders().get("Authorization")).isNull();
		assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
	}

	@Test
	void blankTokenSendsNoAuthorizationHeader() throws InterruptedException {
		WebClientConfigServerClient client = client(() -> "  ");
		this.server.enqueue(json("{\"version\": \"v1\"}"));
		client.fetchVersion();
		assertThat(take().getHeaders().get("Authorization")).isNull();
	}

	@Test
	void failingTokenProviderFailsTheRequestAsUnauthorizedWithoutSendingIt() {
		WebClientConfigServerClient client = client(() -> {
			throw new IllegalStateException("identity service down, secret=" + TOKEN);
		});
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.UNAUTHORIZED);
		assertThat(ex.getMessage()).contains("token provider failed")
			.contains("IllegalStateException; its message and stack trace are logged at DEBUG")
			.doesNotContain(TOKEN);
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void tokenProviderThatCannotLoadAClassFailsTheRequestAsUnauthorizedLikeAnyOtherFailure() {
		WebClientConfigServerClient client = client(() -> {
			throw new NoClassDefFoundError("com/example/Vault");
		});
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.UNAUTHORIZED);
		assertThat(ex.getMessage()).contains("The token provider failed (java.lang.NoClassDefFoundError;");
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void serverUrlWithAPathAndTrailingSlashIsABase() throws InterruptedException {
		WebClientConfigServerClient client = client(URI.create(this.server.url("/agentkit/").toString()),
				() -> TOKEN, DataSize.ofMegabytes(64), Duration.ofSeconds(5));
		this.server.enqueue(json("{\"version\": \"v1\"}"));
		client.fetchVersion();
		assertThat(take().getUrl().encodedPath()).isEqualTo("/agentkit/api/v1/config/version");
	}

	@Test
	void queryOfTheServerUrlIsKeptOnEveryRequestAndNeverLogged() throws InterruptedException {
		WebClientConfigServerClient client = client(
				URI.create(this.server.url("/agentkit/").toString() + "?tenant=acme%20corp&key=secret#top"), () -> TOKEN,
				DataSize.ofMegabytes(64), Duration.ofSeconds(5));
		this.server.enqueue(json("{\"version\": \"v1\"}"));
		client.fetchVersion();
		assertThat(take().getRequestLine())
			.isEqualTo("GET /agentkit/api/v1/config/version?tenant=acme%20corp&key=secret HTTP/1.1");
		this.server.enqueue(new MockResponse.Builder().code(500).build());
		ConfigServerException ex = failure(client::fetchAll);
		assertThat(ex.getMessage()).contains("/agentkit/api/v1/config/all").doesNotContain("secret");
	}

	@Test
	void queryOfTheServerUrlIsHiddenWhereTheServerEchoesIt() throws IOException {
		String query = "tenant=acme&api_key=SECRET123&note=sent+as+form";
		WebClientConfigServerClient client = client(URI.create(this.server.url("/base/").toString() + "?" + query),
				() -> TOKEN, DataSize.ofMegabytes(64), Duration.ofSeconds(5));
		this.server.enqueue(new MockResponse.Builder().code(500)
			.setHeader("Content-Type", "application/json")
			.body("{\"detail\":\"tenant lookup failed for /base/api/v1/config/version?" + query + "\"}")
			.build());
		assertThat(failure(client::fetchVersion).getMessage())
			.endsWith("/base/api/v1/config/version failed: HTTP 500; the server says: tenant lookup failed for "
					+ "/base/api/v1/config/version?[the query]");
		// A value alone, and one as the server decoded it; a short one (acme) is left.
		this.server.enqueue(new MockResponse.Builder().code(500)
			.setHeader("Content-Type", "text/plain")
			.body("api_key=SECRET123 does not open tenant acme (note: sent as form)")
			.build());
		assertThat(failure(client::fetchAll).getMessage()).endsWith("the server says: api_key=[a query value] does "
				+ "not open tenant acme (note: [a query value])");
		this.server.enqueue(new MockResponse.Builder().code(302)
			.setHeader("Location", "https://login.example.com/sso/SECRET123/start?next=" + query)
			.build());
		assertThat(failure(client::fetchAll).getMessage())
			.contains("(a redirect to https://login.example.com/sso/[a query value]/start)")
			.doesNotContain("SECRET123");
		// Netty's words quote a status line it cannot read.
		for (int i = 0; i < 2; i++) {
			this.server.enqueue(new MockResponse.Builder().status("SECRET123 200 OK").build());
		}
		assertThat(failure(client::fetchVersion).getMessage())
			.contains("cannot be read as HTTP (invalid version format: [a query value])")
			.doesNotContain("SECRET123");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "201, Created", "202, Accepted", "204, No Content", "206, Partial Content" })
	void successOtherThanOkSaysTheApiAnswersOkWithTheBody(int status, String reason) {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(new MockResponse.Builder().code(status).build());
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.HTTP_STATUS);
		assertThat(ex.getMessage()).isEqualTo("GET " + this.server.url("/api/v1/config/version") + " answered HTTP "
				+ status + " (" + reason + "), where the AgentKit API answers 200 with the JSON body; a proxy or "
				+ "another service may be answering for the server: check agentkit.sync.server-url");
	}

	@Test
	void tokenWithALineBreakInsideIsNeverSentNorShown() {
		WebClientConfigServerClient client = client(() -> "s3cret-token\r\nX-Injected: yes");
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.UNAUTHORIZED);
		assertThat(ex.getMessage()).isEqualTo("The token provider gave a token that cannot be sent: it holds a control "
				+ "character (U+000D at index 12), which an HTTP header cannot carry, so GET "
				+ this.server.url("/api/v1/config/version") + " was not sent; give the token alone, as the server "
				+ "issued it (agentkit.sync.token, or the application's TokenProvider bean)")
			.doesNotContain("s3cret");
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void tokenWithACharacterOutsideAsciiIsNeverSentNorShown() {
		WebClientConfigServerClient client = client(() -> "s3cret-t\u00f6ken");
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.UNAUTHORIZED);
		assertThat(ex.getMessage()).startsWith("The token provider gave a token that cannot be sent: it holds a "
				+ "character outside ASCII (U+00F6 at index 8), which an HTTP header cannot carry, so GET "
				+ this.server.url("/api/v1/config/version") + " was not sent;")
			.doesNotContain("s3cret");
		assertThat(this.server.getRequestCount()).isZero();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "s3cret.one s3cret.two", "Token s3cret", "s3cret # the production token" })
	void tokenOfMoreThanOneWordIsNeverSentNorShown(String token) {
		WebClientConfigServerClient client = client(() -> token);
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.UNAUTHORIZED);
		assertThat(ex.getMessage()).contains("it holds a space (at index " + token.indexOf(' ') + ")",
				"a bearer token is one word", "was not sent", "give the token alone")
			.doesNotContain("s3cret");
		assertThat(this.server.getRequestCount()).isZero();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "Bearer abc.def", "bearer abc.def", "  BEARER abc.def" })
	void tokenThatStartsWithBearerIsNeverSentAndSaysToGiveTheTokenAlone(String token) {
		WebClientConfigServerClient client = client(() -> token);
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.UNAUTHORIZED);
		assertThat(ex.getMessage()).contains("starts with 'Bearer '", "was not sent", "give the token alone")
			.doesNotContain("abc.def");
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void tokenReadFromAFileWithATrailingLineBreakIsSentWithoutIt() throws InterruptedException {
		WebClientConfigServerClient client = client(() -> "  " + TOKEN + "\n");
		this.server.enqueue(json("{\"version\": \"v1\"}"));
		assertThat(client.fetchVersion()).isEqualTo("v1");
		assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
	}

	@Test
	void unauthorizedAsksTheProviderAgainAndRetriesOnce() throws InterruptedException {
		AtomicInteger calls = new AtomicInteger();
		WebClientConfigServerClient client = client(() -> (calls.incrementAndGet() == 1) ? "expired" : "fresh");
		this.server.enqueue(new MockResponse.Builder().code(401).body("{\"detail\": \"expired\"}").build());
		this.server.enqueue(json(ALL_BODY));
		ConfigDocument document = client.fetchAll();
		assertThat(document.snapshot().skillNames()).containsExactly("a");
		assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer expired");
		assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer fresh");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void lastingUnauthorizedFailsAfterOneRetry() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(new MockResponse.Builder().code(401).build());
		}
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.UNAUTHORIZED);
		assertThat(ex.getMessage()).contains("401", "/api/v1/config/version", "the server does not accept the token");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		assertNoToken(ex);
	}

	@Test
	void unauthorizedWithoutATokenSaysNoneWasSentAndHowToGiveOne() {
		WebClientConfigServerClient client = client(() -> null);
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(new MockResponse.Builder().code(401).build());
		}
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.UNAUTHORIZED);
		assertThat(ex.getMessage()).contains("HTTP 401, and no token was sent: set agentkit.sync.token, or declare a "
				+ "TokenProvider bean that gives one")
			.doesNotContain("does not accept");
	}

	@Test
	void forbiddenFailsAsUnauthorized() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(new MockResponse.Builder().code(403).build());
		ConfigServerException ex = failure(client::fetchAll);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.UNAUTHORIZED);
		assertThat(ex.getMessage()).endsWith("/api/v1/config/all was refused: HTTP 403 (the token lacks access)");
	}

	@Test
	void forbiddenSaysWhatTheServerSaysWithoutTheTokenOrTheQuery() {
		WebClientConfigServerClient client = client(URI.create(this.server.url("/").toString() + "?api_key=SECRET123"),
				() -> TOKEN, DataSize.ofMegabytes(64), Duration.ofSeconds(5));
		this.server.enqueue(new MockResponse.Builder().code(403)
			.setHeader("Content-Type", "application/json")
			.body("{\"detail\":\"token lacks scope config:read (token " + TOKEN + ", key SECRET123)\"}")
			.build());
		ConfigServerException ex = failure(client::fetchAll);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.UNAUTHORIZED);
		assertThat(ex.getMessage()).endsWith("/api/v1/config/all was refused: HTTP 403 (the token lacks access); the "
				+ "server says: token lacks scope config:read (token [the token], key [a query value])");
	}

	@Test
	void serverErrorFailsWithHttpStatus() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(new MockResponse.Builder().code(500).body("{\"error\": \"boom\"}").build());
		ConfigServerException ex = failure(client::fetchAll);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.HTTP_STATUS);
		assertThat(ex.getMessage()).contains("HTTP 500", "/api/v1/config/all");
		assertThat(ex.getRetryAfter()).isNull();
		assertNoToken(ex);
	}

	@Test
	void notFoundSaysTheServerUrlIsTheBaseUrlAndWhenItRepeatsTheApiPath() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(new MockResponse.Builder().code(404).build());
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.HTTP_STATUS);
		assertThat(ex.getMessage()).contains("HTTP 404", "agentkit.sync.server-url is the AgentKit server's base URL, "
				+ "the part before /api/v1/config")
			.doesNotContain("repeats");
		WebClientConfigServerClient withApiPath = client(URI.create(this.server.url("/api/v1/config").toString()),
				() -> TOKEN, DataSize.ofMegabytes(64), Duration.ofSeconds(5));
		this.server.enqueue(new MockResponse.Builder().code(404).build());
		assertThat(failure(withApiPath::fetchVersion).getMessage())
			.contains("/api/v1/config/api/v1/config/version failed: HTTP 404", "which it repeats now");
	}

	@Test
	void notFoundThatSaysMoreThanNotFoundPutsTheServersWordsFirst() {
		WebClientConfigServerClient client = client(
				URI.create(this.server.url("/").toString() + "?tenant=acme&api_key=SECRET123"), () -> TOKEN,
				DataSize.ofMegabytes(64), Duration.ofSeconds(5));
		this.server.enqueue(new MockResponse.Builder().code(404)
			.setHeader("Content-Type", "application/problem+json")
			.body("{\"title\":\"Not Found\",\"detail\":\"unknown tenant acme (api_key=SECRET123)\"}")
			.build());
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.HTTP_STATUS);
		assertThat(ex.getMessage()).endsWith("/api/v1/config/version failed: HTTP 404; the server says: unknown "
				+ "tenant acme (api_key=[a query value]) (if it is the path that the server does not know: "
				+ "agentkit.sync.server-url is the AgentKit server's base URL, the part before /api/v1/config)")
			.doesNotContain("no such path");
		// A framework's answer to a path it has no route for keeps the base URL first.
		for (String body : List.of("{\"detail\":\"Not Found\"}",
				"{\"status\":404,\"error\":\"Not Found\",\"path\":\"/api/v1/config/version\"}")) {
			this.server.enqueue(new MockResponse.Builder().code(404)
				.setHeader("Content-Type", "application/json")
				.body(body)
				.build());
			assertThat(failure(client::fetchVersion).getMessage()).as(body)
				.endsWith("/api/v1/config/version failed: HTTP 404 (no such path on the server); "
						+ "agentkit.sync.server-url is the AgentKit server's base URL, the part before "
						+ "/api/v1/config; the server says: Not Found");
		}
	}

	@Test
	void unavailableWithRetryAfterSecondsReportsTheDelay() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "120").build());
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.HTTP_STATUS);
		assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(120));
	}

	@Test
	void tooManyRequestsWithRetryAfterDateReportsTheDelayFromTheClock() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		String date = DateTimeFormatter.RFC_1123_DATE_TIME
			.format(this.clock.instant().plusSeconds(90).atOffset(ZoneOffset.UTC));
		this.server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", date).build());
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(90));
	}

	@ParameterizedTest
	@ValueSource(strings = { "soon", "-5", "1.5", "+7" })
	void retryAfterThatIsNeitherSecondsNorADateIsIgnored(String retryAfter) {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", retryAfter).build());
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.HTTP_STATUS);
		assertThat(ex.getRetryAfter()).isNull();
	}

	@Test
	void retryAfterOfMoreSecondsThanCanBeCountedIsTheLongestDelay() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(
				new MockResponse.Builder().code(503).addHeader("Retry-After", "99999999999999999999999").build());
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(Long.MAX_VALUE));
	}

	@Test
	void headersLateBeyondTheTimeoutFailWithTimeoutWithinABound() {
		WebClientConfigServerClient client = client(URI.create(this.server.url("/").toString()), () -> TOKEN,
				DataSize.ofMegabytes(64), Duration.ofMillis(300));
		this.server.enqueue(json(ALL_BODY).newBuilder().headersDelay(3, TimeUnit.SECONDS).build());
		long start = System.nanoTime();
		ConfigServerException ex = failure(client::fetchAll);
		// The headers come after 3 s: a timeout that did not fire would give an answer.
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.TIMEOUT);
		assertThat(ex.getMessage()).contains("300 ms");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
	}

	@Test
	void bodyLateBeyondTheTimeoutFailsWithTimeout() {
		WebClientConfigServerClient client = client(URI.create(this.server.url("/").toString()), () -> TOKEN,
				DataSize.ofMegabytes(64), Duration.ofMillis(300));
		this.server.enqueue(json(ALL_BODY).newBuilder().bodyDelay(3, TimeUnit.SECONDS).build());
		// The body comes after 3 s: a timeout that did not fire would give an answer.
		ConfigServerException ex = failure(client::fetchAll);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.TIMEOUT);
	}

	@Test
	void connectionClosedBeforeAnswerFailsWithNetwork() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		MockResponse reset = new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build();
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(reset);
		}
		ConfigServerException ex = failure(client::fetchAll);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.NETWORK);
		assertThat(ex.getMessage()).contains("failed: the connection was closed before the whole answer came (",
				"by the server or by something in between");
		assertNoToken(ex);
	}

	@Test
	void keptAliveConnectionThatTheServerDroppedIsReplacedAndTheRequestSentOnceMore() throws IOException {
		try (KeepAliveDroppingServer peer = KeepAliveDroppingServer.answeringFirstRequest()) {
			WebClientConfigServerClient client = client(peer.url(), () -> TOKEN, DataSize.ofMegabytes(64),
					Duration.ofSeconds(5));
			assertThat(client.fetchVersion()).isEqualTo("v1");
			assertThat(peer.connections()).isEqualTo(1);
			// The kept-alive connection is closed at this request, which goes again on a new one.
			assertThat(client.fetchAll().snapshot().skill("s")).isPresent();
			assertThat(peer.connections()).isEqualTo(2);
			assertThat(client.fetchVersion()).isEqualTo("v1");
			assertThat(peer.connections()).isEqualTo(3);
		}
	}

	@Test
	void connectionClosedAtEveryRequestFailsEachFetchAfterSendingItOnceMore() throws IOException {
		try (KeepAliveDroppingServer peer = KeepAliveDroppingServer.closingEveryConnection()) {
			WebClientConfigServerClient client = client(peer.url(), () -> TOKEN, DataSize.ofMegabytes(64),
					Duration.ofSeconds(5));
			for (int fetch = 1; fetch <= 2; fetch++) {
				ConfigServerException ex = failure(client::fetchVersion);
				assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.NETWORK);
				assertThat(ex.getMessage()).endsWith("/api/v1/config/version failed: the connection was closed "
						+ "before the whole answer came (Connection prematurely closed BEFORE response), by the "
						+ "server or by something in between (a proxy, a load balancer, a firewall)");
				assertThat(ex).hasNoCause();
				assertThat(peer.connections()).isEqualTo(2 * fetch);
			}
		}
	}

	@Test
	void disconnectMidBodyFailsWithNetwork() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(json(largeBody(2000)).newBuilder().onResponseBody(new SocketEffect.CloseSocket()).build());
		ConfigServerException ex = failure(client::fetchAll);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.NETWORK);
		assertThat(ex.getMessage()).contains("failed: the connection was closed before the whole answer came (",
				"by the server or by something in between");
		assertNoToken(ex);
	}

	@Test
	void connectionClosedInTheMiddleOfTheHeadersFailsWithNetworkSayingSo() throws IOException {
		assertThat(networkFailureFrom("http", "HTTP/1.1 200 OK\r\nContent-Type: appl".getBytes(StandardCharsets.US_ASCII))
			.getMessage()).contains("failed: the connection was closed before the whole answer came (",
					"by the server or by something in between");
	}

	@ParameterizedTest(name = "chunk size {0}")
	// A byte outside ASCII makes Netty's decoder fail with an ArrayIndexOutOfBoundsException of its own.
	@ValueSource(strings = { "zz", "\u0094" })
	void chunkThatIsNotAChunkFailsSayingTheAnswerCannotBeReadAsHttp(String size) throws IOException {
		byte[] answer = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
				+ size + "\r\n{\"version\": \"v1\"}\r\n0\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);
		assertThat(networkFailureFrom("http", answer).getMessage()).contains(
				"failed: the answer cannot be read as HTTP (",
				"check that agentkit.sync.server-url names the AgentKit server");
	}

	@Test
	void connectionRefusedFailsWithNetwork() throws IOException {
		MockWebServer closed = new MockWebServer();
		closed.start();
		URI url = URI.create(closed.url("/").toString());
		closed.close();
		WebClientConfigServerClient client = client(url, () -> TOKEN, DataSize.ofMegabytes(64), Duration.ofSeconds(5));
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.NETWORK);
		assertThat(ex.getMessage()).contains("/api/v1/config/version failed: could not connect (",
				"Connection refused", "is the AgentKit server running and listening on that host and port? "
						+ "Check agentkit.sync.server-url");
		assertThat(ex).hasNoCause();
		assertNoToken(ex);
	}

	@Test
	void unknownHostFailsNamingTheHost() {
		// The .invalid top-level domain never resolves (RFC 6761). The timeout leaves room for a
		// machine without a reachable name server, where the lookup fails by its own timeout.
		WebClientConfigServerClient client = client(URI.create("http://agentkit-server.invalid:8001/"), () -> null,
				DataSize.ofMegabytes(64), Duration.ofSeconds(60));
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.NETWORK);
		assertThat(ex.getMessage()).contains("failed: unknown host 'agentkit-server.invalid' (",
				"check the host of agentkit.sync.server-url");
		assertThat(ex).hasNoCause();
	}

	@Test
	void errorAnswerSaysWhatTheServerSaysOnOneLineCutAndWithoutTheToken() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(new MockResponse.Builder().code(503)
			.setHeader("Content-Type", "application/problem+json")
			.setHeader("Retry-After", "10")
			.body("{\"type\": \"about:blank\", \"title\": \"Service Unavailable\", \"status\": 503, "
					+ "\"detail\": \"No configuration is served:\\nskills/a.json is not valid JSON\"}")
			.build());
		assertThat(failure(client::fetchAll).getMessage()).endsWith("failed: HTTP 503 (Retry-After 10s); the server "
				+ "says: No configuration is served: skills/a.json is not valid JSON");
		this.server.enqueue(new MockResponse.Builder().code(500)
			.setHeader("Content-Type", "text/plain; charset=utf-8")
			.body("database down for token " + TOKEN + "\u001b[31m " + "x".repeat(1000))
			.build());
		String message = failure(client::fetchAll).getMessage();
		assertThat(message).contains("failed: HTTP 500; the server says: database down for token [the token]\\u001b[31m x")
			.contains("... (")
			.doesNotContain(TOKEN)
			.doesNotContain("\u001b")
			.hasSizeLessThan(500);
		this.server.enqueue(new MockResponse.Builder().code(502)
			.setHeader("Content-Type", "text/html")
			.body("<html><head><title>502 Bad Gateway</title></head></html>")
			.build());
		assertThat(failure(client::fetchAll).getMessage()).endsWith("failed: HTTP 502");
		this.server.enqueue(new MockResponse.Builder().code(500)
			.setHeader("Content-Type", "application/json")
			.body("{\"error\": {\"code\": 7}, \"message\": \"quota exceeded\"}")
			.build());
		assertThat(failure(client::fetchVersion).getMessage()).endsWith("failed: HTTP 500; the server says: quota exceeded");
		this.server.enqueue(new MockResponse.Builder().code(500).setHeader("Content-Type", "application/json").body("{\"det").build());
		assertThat(failure(client::fetchVersion).getMessage()).endsWith("failed: HTTP 500");
	}

	@Test
	void errorBodyLargerThanTheMaximumPayloadSizeStillReportsTheStatus() {
		WebClientConfigServerClient client = client(URI.create(this.server.url("/").toString()), () -> TOKEN,
				DataSize.ofKilobytes(1), Duration.ofSeconds(5));
		this.server.enqueue(new MockResponse.Builder().code(500)
			.setHeader("Content-Type", "text/plain")
			.body("y".repeat(100_000))
			.build());
		ConfigServerException ex = failure(client::fetchAll);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.HTTP_STATUS);
		assertThat(ex.getMessage()).endsWith("failed: HTTP 500");
	}

	@Test
	void bodyLargerThanTheMaximumPayloadSizeFailsCleanly() {
		WebClientConfigServerClient client = client(URI.create(this.server.url("/").toString()), () -> TOKEN,
				DataSize.ofKilobytes(1), Duration.ofSeconds(5));
		this.server.enqueue(json(largeBody(100)));
		ConfigServerException ex = failure(client::fetchAll);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.PAYLOAD_TOO_LARGE);
		assertThat(ex.getMessage()).contains("the body is larger than agentkit.sync.max-payload-size (1KB); raise it");
	}

	@Test
	void versionBodyIsCutAtItsOwnSmallLimitWhateverThePayloadSize() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(json("\"" + "v".repeat(WebClientConfigServerClient.MAX_VERSION_BODY) + "\""));
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.PAYLOAD_TOO_LARGE);
		assertThat(ex.getMessage()).contains("/version was cut: the body is larger than 64KB")
			.contains("the server's version endpoint is broken")
			.doesNotContain("max-payload-size");
		// A version body within the limit, and an /all body far above it, are read.
		this.server.enqueue(json("{\"version\": \"" + "v".repeat(1000) + "\"}"));
		assertThat(client.fetchVersion()).hasSize(1000);
		this.server.enqueue(json(largeBody(1_000)));
		assertThat(client.fetchAll().snapshot().skills()).hasSize(1_000);
	}

	@Test
	void versionBodyOverASmallerPayloadSizeNamesThePayloadSize() {
		WebClientConfigServerClient client = client(URI.create(this.server.url("/").toString()), () -> TOKEN,
				DataSize.ofKilobytes(1), Duration.ofSeconds(5));
		this.server.enqueue(json("\"" + "v".repeat(2000) + "\""));
		assertThat(failure(client::fetchVersion).getMessage()).contains("agentkit.sync.max-payload-size (1KB)");
	}

	@Test
	void payloadOfSeveralMegabytesIsReadWithTheDefaultLimit() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		String body = largeBody(20_000);
		assertThat(body.length()).isGreaterThan(4 * 1024 * 1024);
		this.server.enqueue(json(body));
		ConfigDocument document = client.fetchAll();
		assertThat(document.snapshot().skills()).hasSize(20_000);
		assertThat(document.snapshot().skill("skill-19999")).isPresent();
	}

	@Test
	void gzipBodyIsAccepted() throws IOException, InterruptedException {
		WebClientConfigServerClient client = client(() -> TOKEN);
		Buffer gzipped = new Buffer().write(gzip(ALL_BODY));
		this.server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
			.addHeader("Content-Encoding", "gzip")
			.body(gzipped)
			.build());
		ConfigDocument document = client.fetchAll();
		assertThat(document.snapshot().skillNames()).containsExactly("a");
		assertThat(take().getHeaders().get("Accept-Encoding")).contains("gzip");
	}

	@Test
	void interimResponsesBeforeTheAnswerAreSkipped() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(withInterimResponses(json("{\"version\": \"v1\"}")));
		this.server.enqueue(withInterimResponses(json(ALL_BODY)));
		this.server.enqueue(json("{\"version\": \"v2\"}"));
		assertThat(client.fetchVersion()).isEqualTo("v1");
		assertThat(client.fetchAll().snapshot().skillNames()).containsExactly("a");
		// The next answer on the same connection is read as it comes.
		assertThat(client.fetchVersion()).isEqualTo("v2");
		assertThat(this.server.getRequestCount()).isEqualTo(3);
	}

	@Test
	void interimResponsesBeforeTheAnswerAreSkippedOverHttpsToo() throws Exception {
		try (MockWebServer httpsServer = httpsServer("tls/server");
				InputStream certificate = new ClassPathResource("tls/server.crt").getInputStream()) {
			httpsServer.enqueue(withInterimResponses(json("{\"version\": \"v1\"}")));
			WebClientConfigServerClient client = track(new WebClientConfigServerClient(WebClient.builder(),
					URI.create(httpsServer.url("/").toString()), () -> TOKEN, Duration.ofSeconds(5),
					DataSize.ofMegabytes(64), false, new ConfigDocumentReader(), this.clock,
					SslContextBuilder.forClient().trustManager(certificate).build()));
			assertThat(client.fetchVersion()).isEqualTo("v1");
		}
	}

	@Test
	void certificateForAnotherHostFailsNamingTheHostAndWhatToDoNotTheTrust() throws Exception {
		try (MockWebServer httpsServer = httpsServer("tls/example-com");
				InputStream certificate = new ClassPathResource("tls/example-com.crt").getInputStream()) {
			URI url = URI.create(httpsServer.url("/").toString());
			assertThat(url.getHost()).isEqualTo("localhost");
			WebClientConfigServerClient client = track(new WebClientConfigServerClient(WebClient.builder(), url,
					() -> TOKEN, Duration.ofSeconds(5), DataSize.ofMegabytes(64), false, new ConfigDocumentReader(),
					this.clock, SslContextBuilder.forClient().trustManager(certificate).build(), "agentkit"));
			ConfigServerException ex = failure(client::fetchVersion);
			assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.NETWORK);
			assertThat(ex.getMessage()).contains("/api/v1/config/version failed: the server's certificate is not for "
					+ "host localhost (No subject alternative DNS name matching localhost found")
				.endsWith("; reach the server by a name its certificate has, in agentkit.sync.server-url, or have a "
						+ "certificate issued for localhost")
				.doesNotContain("not trusted")
				.doesNotContain("agentkit.sync.ssl.bundle");
			assertThat(ex).hasNoCause();
			assertThat(httpsServer.getRequestCount()).isZero();
		}
	}

	@Test
	void certificateThatTheSslBundleDoesNotTrustFailsNamingTheBundle() throws Exception {
		try (MockWebServer httpsServer = httpsServer("tls/server");
				InputStream otherCertificate = new ClassPathResource("tls/example-com.crt").getInputStream()) {
			WebClientConfigServerClient client = track(new WebClientConfigServerClient(WebClient.builder(),
					URI.create(httpsServer.url("/").toString()), () -> TOKEN, Duration.ofSeconds(5),
					DataSize.ofMegabytes(64), false, new ConfigDocumentReader(), this.clock,
					SslContextBuilder.forClient().trustManager(otherCertificate).build(), "agentkit"));
			ConfigServerException ex = failure(client::fetchVersion);
			assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.NETWORK);
			assertThat(ex.getMessage()).containsIgnoringCase("certification path")
				.endsWith("; the server's certificate is not trusted by SSL bundle 'agentkit' "
						+ "(agentkit.sync.ssl.bundle): add the certificate of the CA that issued it, or the "
						+ "certificate itself, to that bundle's trust material "
						+ "(spring.ssl.bundle.pem.agentkit.truststore.certificate, or the trust store of "
						+ "spring.ssl.bundle.jks.agentkit)")
				.doesNotContain("set agentkit.sync.ssl.bundle");
		}
	}

	@Test
	void answerThatIsNotHttpFailsSayingSoAndWhatToCheck() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(new MockResponse.Builder().status("SSH-2.0-OpenSSH_9.2").build());
		}
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.NETWORK);
		assertThat(ex.getMessage()).contains("cannot be read as HTTP", "SSH-2.0",
				"check that agentkit.sync.server-url names the AgentKit server", "needs https");
		assertThat(ex).hasNoCause();
	}

	@Test
	void httpsToAPlainHttpServerFailsSayingItDidNotAnswerInTls() throws IOException {
		byte[] badRequest = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
			.getBytes(StandardCharsets.US_ASCII);
		assertThat(networkFailureOverHttpsFrom(badRequest).getMessage()).contains("did not answer in TLS",
				"plain http", "check the scheme and the port of agentkit.sync.server-url")
			// Not Netty's hex dump of the bytes it received.
			.doesNotContain("485454502f");
	}

	@Test
	void connectionClosedDuringTheTlsHandshakeFailsNamingTheHandshake() throws IOException {
		assertThat(networkFailureOverHttpsFrom(new byte[0]).getMessage()).contains("the TLS handshake failed",
				"handshake was in progress", "serves https on the port of agentkit.sync.server-url")
			.doesNotContain("StacklessClosedChannelException");
	}

	@Test
	void switchingProtocolsIsNotSkippedButFailsNamingTheStatus() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(new MockResponse.Builder().code(101).build());
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.HTTP_STATUS);
		assertThat(ex.getMessage()).contains("HTTP 101");
	}

	@Test
	void notModifiedToAnUnconditionalRequestNamesTheCacheInBetween() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(new MockResponse.Builder().code(304).build());
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.HTTP_STATUS);
		assertThat(ex.getMessage()).contains("HTTP 304", "a cache or proxy between here and the server")
			.doesNotContain("redirect");
	}

	@Test
	void redirectIsNotFollowedSoTheTokenStaysWithTheServer() throws IOException, InterruptedException {
		try (MockWebServer elsewhere = new MockWebServer()) {
			elsewhere.start();
			elsewhere.enqueue(json(ALL_BODY));
			WebClientConfigServerClient client = client(() -> TOKEN);
			this.server.enqueue(new MockResponse.Builder().code(302)
				.addHeader("Location", elsewhere.url("/api/v1/config/all"))
				.build());
			ConfigServerException ex = failure(client::fetchAll);
			assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.HTTP_STATUS);
			assertThat(ex.getMessage()).contains("302", "redirect");
			assertThat(this.server.getRequestCount()).isEqualTo(1);
			assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
			assertThat(elsewhere.getRequestCount()).isZero();
		}
	}

	@Test
	void tokenIsNeverSentOverPlainHttpToARemoteHost() {
		AtomicInteger calls = new AtomicInteger();
		WebClientConfigServerClient client = client(URI.create("http://example.invalid"), () -> {
			calls.incrementAndGet();
			return TOKEN;
		}, DataSize.ofMegabytes(64), Duration.ofSeconds(5));
		// Refused before any connection: example.invalid would fail to resolve, with another reason.
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.INSECURE_TRANSPORT);
		assertThat(ex.getMessage()).contains("http://example.invalid", "allow-insecure-http");
		assertThat(calls).hasValue(1);
		assertNoToken(ex);
	}

	@Test
	void plainHttpToARemoteHostIsTriedWhenInsecureHttpIsAllowed() {
		WebClientConfigServerClient client = track(new WebClientConfigServerClient(WebClient.builder(),
				URI.create("http://example.invalid"), () -> TOKEN, Duration.ofSeconds(5), DataSize.ofMegabytes(64),
				true, new ConfigDocumentReader(), this.clock));
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.NETWORK);
		assertNoToken(ex);
	}

	@Test
	void plainHttpToARemoteHostIsTriedWhenThereIsNoTokenToProtect() {
		WebClientConfigServerClient client = client(URI.create("http://example.invalid"), () -> null,
				DataSize.ofMegabytes(64), Duration.ofSeconds(5));
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.NETWORK);
	}

	@Test
	void jvmProxyPropertiesAreHonouredAsBySpringsOwnReactorClient() throws Exception {
		// This test's server stands in for the proxy: it opens the tunnel, then answers through it.
		Properties saved = (Properties) System.getProperties().clone();
		System.setProperty("http.proxyHost", this.server.getHostName());
		System.setProperty("http.proxyPort", String.valueOf(this.server.getPort()));
		try {
			WebClientConfigServerClient client = client(URI.create("http://agentkit.example.invalid:8080"), () -> null,
					DataSize.ofMegabytes(64), Duration.ofSeconds(5));
			this.server.enqueue(new MockResponse.Builder().inTunnel().build());
			this.server.enqueue(json("{\"version\": \"v7\"}"));
			assertThat(client.fetchVersion()).isEqualTo("v7");
			assertThat(this.server.takeRequest().getRequestLine())
				.isEqualTo("CONNECT agentkit.example.invalid:8080 HTTP/1.1");
			RecordedRequest request = this.server.takeRequest();
			assertThat(request.getRequestLine()).isEqualTo("GET /api/v1/config/version HTTP/1.1");
			assertThat(request.getHeaders().get("Host")).isEqualTo("agentkit.example.invalid:8080");
		}
		finally {
			System.setProperties(saved);
		}
	}

	@Test
	void invalidBodyFailsWithInvalidPayloadNamingThePart() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(json("{\"version\": \"v1\", \"skills\": [{\"title\": \"x\"}]}"));
		ConfigServerException ex = failure(client::fetchAll);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.INVALID_PAYLOAD);
		assertThat(ex.getMessage()).contains("/api/v1/config/all", "skills[0] has no 'name'");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "json", "application/json; charset=nonsense", "application/json;;;=", "/" })
	void contentTypeThatCannotBeParsedIsNotTakenIntoAccount(String contentType) {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(new MockResponse.Builder().addHeader("Content-Type", contentType)
			.body("{\"version\": \"v1\"}")
			.build());
		assertThat(client.fetchVersion()).isEqualTo("v1");
		this.server.enqueue(new MockResponse.Builder().addHeader("Content-Type", contentType)
			.body("{\"version\": \"v2\", \"skills\": [{\"name\": \"s\"}]}")
			.build());
		assertThat(client.fetchAll().snapshot().skill("s")).isPresent();
		this.server.enqueue(new MockResponse.Builder().code(503).addHeader("Content-Type", contentType)
			.body("down for maintenance")
			.build());
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.HTTP_STATUS);
		assertThat(ex.getMessage()).contains("HTTP 503");
	}

	@Test
	void bodyInTheCharsetItDeclaresFailsSayingTheConfigurationIsReadAsUtf8() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json; charset=iso-8859-1")
			.body(new Buffer().write("{\"version\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1)))
			.build());
		ConfigServerException ex = failure(client::fetchAll);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.INVALID_PAYLOAD);
		assertThat(ex.getMessage()).contains("the body is not UTF-8")
			.contains("(its Content-Type declares charset iso-8859-1: the configuration is read as UTF-8");
		// UTF-8 declared, or no charset, adds nothing.
		this.server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json; charset=UTF-8")
			.body("{\"version\": 1}")
			.build());
		assertThat(failure(client::fetchAll).getMessage()).doesNotContain("declares charset");
	}

	@Test
	void pageThatIsNotJsonFailsNamingItsContentTypeAndWhatToCheck() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/html; charset=utf-8")
			.body("<html><body>Please sign in</body></html>")
			.build());
		ConfigServerException ex = failure(client::fetchAll);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.INVALID_PAYLOAD);
		assertThat(ex.getMessage()).contains("not valid JSON", "Content-Type is text/html, not JSON",
				"agentkit.sync.server-url");
		this.server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/problem+json")
			.body("{\"title\": \"x\"}")
			.build());
		assertThat(failure(client::fetchVersion).getMessage()).contains("'version' is missing")
			.doesNotContain("Content-Type");
	}

	@Test
	void compressedBodyThatCannotBeDecompressedFailsAsInvalidPayloadSayingSo() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
			.addHeader("Content-Encoding", "gzip")
			.body(new Buffer().write(new byte[] { 0x1f, (byte) 0x8b, 8, 0 }).writeUtf8("garbage, not gzip"))
			.build());
		ConfigServerException ex = failure(client::fetchAll);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.INVALID_PAYLOAD);
		assertThat(ex.getMessage()).contains("cannot be decompressed", "Content-Encoding");
	}

	@Test
	void bodyInAnEncodingTheClientDidNotAskForFailsNamingTheEncoding() throws IOException {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
			.addHeader("Content-Encoding", "x-custom")
			.body(new Buffer().write(new byte[] { (byte) 0xce, (byte) 0xb2, 0x04, (byte) 0x80, 0x7b }))
			.build());
		ConfigServerException ex = failure(client::fetchAll);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.INVALID_PAYLOAD);
		assertThat(ex.getMessage()).contains("answered an invalid body",
				"(its Content-Encoding is x-custom, which this client does not decode: it asks for gzip");
		// A body the client decoded has no such remark.
		this.server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
			.addHeader("Content-Encoding", "gzip")
			.body(new Buffer().write(gzip("{\"skills\": []}")))
			.build());
		assertThat(failure(client::fetchAll).getMessage()).contains("'version' is missing")
			.doesNotContain("Content-Encoding");
	}

	@Test
	void compressedBodyThatNoContentEncodingDeclaresFailsSayingSo() throws IOException {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
			.body(new Buffer().write(gzip(ALL_BODY)))
			.build());
		ConfigServerException ex = failure(client::fetchAll);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.INVALID_PAYLOAD);
		assertThat(ex.getMessage()).contains("answered an invalid body",
				"(it is compressed data, gzip by its first bytes, that no Content-Encoding declares");
		// Compressed twice, and declared once: Netty decodes one of them.
		this.server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
			.addHeader("Content-Encoding", "gzip")
			.body(new Buffer().write(gzip(gzip(ALL_BODY))))
			.build());
		assertThat(failure(client::fetchAll).getMessage()).contains("or the body was compressed twice");
		ByteArrayOutputStream zlib = new ByteArrayOutputStream();
		try (DeflaterOutputStream out = new DeflaterOutputStream(zlib)) {
			out.write(ALL_BODY.getBytes(StandardCharsets.UTF_8));
		}
		this.server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
			.body(new Buffer().write(zlib.toByteArray()))
			.build());
		assertThat(failure(client::fetchAll).getMessage()).contains("(it is compressed data, zlib by its first bytes");
	}

	@Test
	void emptyOkBodyFailsWithInvalidPayload() {
		WebClientConfigServerClient client = client(() -> TOKEN);
		this.server.enqueue(new MockResponse.Builder().code(200).build());
		ConfigServerException ex = failure(client::fetchVersion);
		assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.INVALID_PAYLOAD);
	}

	@Test
	void tokenNeverAppearsInExceptionMessagesOrToString() {
		String urlWithSecret = this.server.url("/").toString().replace("://", "://user:" + TOKEN + "@");
		WebClientConfigServerClient client = client(URI.create(urlWithSecret), () -> TOKEN, DataSize.ofMegabytes(64),
				Duration.ofSeconds(5));
		this.server.enqueue(new MockResponse.Builder().code(500).body(TOKEN).build());
		this.server.enqueue(json("{\"version\": \"" + TOKEN + "\", \"skills\": 1}"));
		this.server.enqueue(new MockResponse.Builder().code(401).build());
		this.server.enqueue(new MockResponse.Builder().code(401).build());
		assertNoToken(failure(client::fetchAll));
		assertNoToken(failure(client::fetchAll));
		assertNoToken(failure(client::fetchAll));
		assertThat(client.toString()).doesNotContain(TOKEN);
	}

	@Test
	void answerWithHeadersLargerThanTheClientReadsSaysSoInASentence() throws IOException {
		byte[] answer = ("HTTP/1.1 200 OK\r\nX-Filler: " + "f".repeat(100_000) + "\r\nContent-Length: 2\r\n\r\n{}")
			.getBytes(StandardCharsets.US_ASCII);
		try (RawAnswerServer peer = new RawAnswerServer(answer)) {
			WebClientConfigServerClient client = client(peer.url("http"), () -> TOKEN, DataSize.ofMegabytes(64),
					Duration.ofSeconds(5));
			ConfigServerException ex = failure(client::fetchVersion);
			assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.NETWORK);
			assertThat(ex.getMessage()).contains("failed: the answer's headers are larger than this client reads (")
				.contains("bytes); an AgentKit server sends short headers")
				.doesNotContain(".;")
				.doesNotContain(".)");
		}
	}

	@Test
	void connectionResetByTheServerIsNamedWithoutNettysWords() throws IOException {
		AtomicInteger connections = new AtomicInteger();
		try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			Thread resetter = new Thread(() -> {
				// The request is sent once more on a new connection, which is reset too.
				for (int i = 0; i < 2; i++) {
					try (Socket socket = listener.accept()) {
						connections.incrementAndGet();
						socket.getInputStream().read(new byte[8192]);
						// Linger 0: closing sends a reset instead of an orderly close.
						socket.setSoLinger(true, 0);
					}
					catch (IOException ex) {
						// The test fails on the client's side.
					}
				}
			});
			resetter.setDaemon(true);
			resetter.start();
			WebClientConfigServerClient client = client(
					URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/"), () -> TOKEN,
					DataSize.ofMegabytes(64), Duration.ofSeconds(5));
			ConfigServerException ex = failure(client::fetchVersion);
			assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.NETWORK);
			assertThat(ex.getMessage()).endsWith("failed: the connection was reset, by the server or by something in "
					+ "between (a proxy, a load balancer, a firewall)");
			assertThat(connections).hasValue(2);
		}
	}

	/**
	 * Ask a peer that answers every connection with the given bytes for the version over
	 * https, and return the network failure, which must need no stack trace.
	 */
	private ConfigServerException networkFailureOverHttpsFrom(byte[] answer) throws IOException {
		return networkFailureFrom("https", answer);
	}

	/**
	 * Ask a peer that answers with the given bytes for the version, and return the network
	 * failure that must come of it.
	 */
	private ConfigServerException networkFailureFrom(String scheme, byte[] answer) throws IOException {
		try (RawAnswerServer peer = new RawAnswerServer(answer)) {
			WebClientConfigServerClient client = client(peer.url(scheme), () -> TOKEN, DataSize.ofMegabytes(64),
					Duration.ofSeconds(5));
			ConfigServerException ex = failure(client::fetchVersion);
			assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.NETWORK);
			assertThat(ex).hasNoCause();
			return ex;
		}
	}

	private void assertNoToken(Throwable ex) {
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			assertThat(String.valueOf(candidate.getMessage())).doesNotContain(TOKEN);
			assertThat(candidate.toString()).doesNotContain(TOKEN);
			for (Throwable suppressed : candidate.getSuppressed()) {
				assertThat(String.valueOf(suppressed.getMessage())).doesNotContain(TOKEN);
			}
		}
	}

	private static ConfigServerException failure(ThrowingCallable call) {
		ConfigServerException ex = catchThrowableOfType(ConfigServerException.class, call);
		assertThat(ex).as("a ConfigServerException").isNotNull();
		return ex;
	}

	private RecordedRequest take() throws InterruptedException {
		RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
		assertThat(request).as("a recorded request").isNotNull();
		return request;
	}

	private WebClientConfigServerClient client(TokenProvider tokenProvider) {
		return client(URI.create(this.server.url("/").toString()), tokenProvider, DataSize.ofMegabytes(64),
				Duration.ofSeconds(5));
	}

	private WebClientConfigServerClient client(URI url, TokenProvider tokenProvider, DataSize maxPayloadSize,
			Duration timeout) {
		return track(new WebClientConfigServerClient(WebClient.builder(), url, tokenProvider, timeout, maxPayloadSize,
				false, new ConfigDocumentReader(), this.clock));
	}

	private WebClientConfigServerClient track(WebClientConfigServerClient client) {
		this.clients.add(client);
		return client;
	}

	/**
	 * Start an https server with the certificate and key of the given name in the test
	 * resources ({@code tls/server}: localhost, {@code tls/example-com}: example.com).
	 */
	private static MockWebServer httpsServer(String name) throws IOException {
		PemSslStoreDetails keyStore = PemSslStoreDetails.forCertificate("classpath:" + name + ".crt")
			.withPrivateKey("classpath:" + name + ".key");
		MockWebServer httpsServer = new MockWebServer();
		httpsServer.useHttps(SslBundle.of(new PemSslStoreBundle(keyStore, null)).createSslContext().getSocketFactory());
		httpsServer.start();
		return httpsServer;
	}

	private static MockResponse json(String body) {
		return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
	}

	private static MockResponse withInterimResponses(MockResponse answer) {
		return answer.newBuilder()
			.addInformationalResponse(new MockResponse.Builder().code(102).build())
			.addInformationalResponse(
					new MockResponse.Builder().code(103).addHeader("Link", "</style.css>; rel=preload").build())
			.build();
	}

	static String largeBody(int skills) {
		StringBuilder body = new StringBuilder("{\"version\": \"big\", \"skills\": [");
		String filler = "x".repeat(200);
		for (int i = 0; i < skills; i++) {
			body.append((i > 0) ? "," : "")
				.append("{\"name\": \"skill-")
				.append(i)
				.append("\", \"prompt\": \"")
				.append(filler)
				.append("\"}");
		}
		return body.append("]}").toString();
	}

	private static byte[] gzip(String text) throws IOException {
		return gzip(text.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] gzip(byte[] data) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
			out.write(data);
		}
		return bytes.toByteArray();
	}

}
