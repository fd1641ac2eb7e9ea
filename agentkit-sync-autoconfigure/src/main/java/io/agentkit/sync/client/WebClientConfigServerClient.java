package io.agentkit.sync.client;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.agentkit.sync.ConfigDocument;
import io.agentkit.sync.ConfigDocumentReader;
import io.agentkit.sync.InvalidConfigurationException;
import io.agentkit.sync.TokenProvider;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunctions;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@link ConfigServerClient} on Spring's {@link WebClient} over Reactor Netty.
 * <p>
 * Every request carries {@code Accept: application/json} and, when the
 * {@link TokenProvider} gives one, {@code Authorization: Bearer}; the provider is asked
 * for every request, and once more after a 401. Each request, headers and body, is bound
 * by the timeout; bodies are limited to the maximum payload size and read without
 * WebClient's default 256 KB in-memory limit; gzip is accepted; interim {@code 1xx}
 * answers before the final one ({@code 103 Early Hints}, say) are skipped; redirects are not
 * followed, so the token never travels to another address. The JVM's standard proxy
 * properties ({@code https.proxyHost}, {@code http.proxyHost}, their ports and
 * {@code http.nonProxyHosts}) are honoured. Request headers are never
 * logged, even when the application's builder turns on logging of request details. The
 * server URL's query is sent with every request and left out of every message, also
 * where the server echoes it (see {@link QueryRedaction}). A token is never sent over
 * plain {@code http} to a host other than loopback unless insecure HTTP is allowed. A
 * request whose connection is closed or reset before any answer comes (a kept-alive
 * connection the server dropped) is sent once more, within the same timeout.
 * Thread-safe; {@link #close()} releases the connection pool.
 */
public class WebClientConfigServerClient implements ConfigServerClient, AutoCloseable {

	static final String API_PATH = "/api/v1/config";

	static final String VERSION_PATH = API_PATH + "/version";

	static final String ALL_PATH = API_PATH + "/all";

	/**
	 * The largest body read from the version endpoint (or the payload size, when smaller).
	 */
	static final int MAX_VERSION_BODY = 64 * 1024;

	/**
	 * How long a connection is kept idle in the pool: shorter than the keep-alive timeout
	 * of common servers (5 s for uvicorn, Node.js and Apache httpd), so a connection is
	 * seldom reused just as the server closes it; the version and the configuration
	 * requests of one cycle, sent one after the other, still share one.
	 */
	static final Duration MAX_IDLE_TIME = Duration.ofSeconds(4);

	/**
	 * Reactor's context key for a sequence's own handler of errors that arrive after the
	 * sequence ended ({@code Hooks.KEY_ON_ERROR_DROPPED}, not public). Without it Reactor
	 * logs such an error at ERROR with a stack trace.
	 */
	private static final String ON_ERROR_DROPPED = "reactor.onErrorDropped.local";

	/**
	 * The request attribute WebClient's observation reads its {@code uri} key value from
	 * (Spring's {@code DefaultWebClient.URI_TEMPLATE_ATTRIBUTE}, not public): a URI given
	 * whole leaves it unset, so the version and the configuration requests would both be
	 * observed as {@code uri="none"}.
	 */
	private static final String URI_TEMPLATE_ATTRIBUTE = WebClient.class.getName() + ".uriTemplate";

	private static final Log logger = LogFactory.getLog(WebClientConfigServerClient.class);

	private final URI serverUrl;

	private final String displayUrl;

	/**
	 * Hides the server URL's query in what the server says, as the display URL leaves it
	 * out.
	 */
	private final QueryRedaction query;

	private final TokenProvider tokenProvider;

	private final Duration timeout;

	private final int maxVersionBody;

	private final boolean allowInsecureHttp;

	private final ConfigDocumentReader documentReader;

	/**
	 * Says why a request got no usable answer.
	 */
	private final RequestFailures requestFailures;

	/**
	 * Says what is wrong with an answer that does not carry the configuration.
	 */
	private final AnswerFailures answerFailures;

	private final ConnectionProvider connectionProvider;

	private final WebClient webClient;

	/**
	 * The same client on a new connection for each request, not pooled: made the first
	 * time a request is sent once more, as most applications never need it.
	 */
	private final SingletonSupplier<WebClient> newConnectionWebClient;

	/**
	 * The absolute URI of each path, made once: a URI given whole is sent as it is, where a
	 * path would be expanded as a URI template at every request.
	 */
	private final Map<String, URI> uris;

	/**
	 * Create a new client.
	 * @param builder the builder to start from (it is cloned, so the application's
	 * filters, default headers and observation apply and the builder itself is not
	 * changed; its codecs do not, as the client reads every answer as bytes, and a filter
	 * that reads an answer gets Spring's default codecs, with the maximum payload size as
	 * their limit)
	 * @param serverUrl the server's base URL
	 * @param tokenProvider the source of bearer tokens
	 * @param timeout the bound on each request, headers and body
	 * @param maxPayloadSize the largest body accepted
	 * @param allowInsecureHttp whether a token may be sent over plain {@code http} to a
	 * host other than loopback
	 * @param documentReader the reader that validates answers
	 * @param clock the clock used to read {@code Retry-After} dates
	 */
	public WebClientConfigServerClient(WebClient.Builder builder, URI serverUrl, TokenProvider tokenProvider,
			Duration timeout, DataSize maxPayloadSize, boolean allowInsecureHttp, ConfigDocumentReader documentReader,
			Clock clock) {
		this(builder, serverUrl, tokenProvider, timeout, maxPayloadSize, allowInsecureHttp, documentReader, clock,
				null);
	}

	/**
	 * Create a new client that trusts the server as the given TLS context says.
	 * @param builder the builder to start from (it is cloned, so the application's
	 * filters, default headers and observation apply and the builder itself is not
	 * changed; its codecs do not, as the client reads every answer as bytes, and a filter
	 * that reads an answer gets Spring's default codecs, with the maximum payload size as
	 * their limit)
	 * @param serverUrl the server's base URL
	 * @param tokenProvider the source of bearer tokens
	 * @param timeout the bound on each request, headers and body
	 * @param maxPayloadSize the largest body accepted
	 * @param allowInsecureHttp whether a token may be sent over plain {@code http} to a
	 * host other than loopback
	 * @param documentReader the reader that validates answers
	 * @param clock the clock used to read {@code Retry-After} dates
	 * @param sslContext the TLS context for {@code https} (trust material, client
	 * certificate), or {@code null} for the JVM's defaults
	 */
	public WebClientConfigServerClient(WebClient.Builder builder, URI serverUrl, TokenProvider tokenProvider,
			Duration timeout, DataSize maxPayloadSize, boolean allowInsecureHttp, ConfigDocumentReader documentReader,
			Clock clock, @Nullable SslContext sslContext) {
		this(builder, serverUrl, tokenProvider, timeout, maxPayloadSize, allowInsecureHttp, documentReader, clock,
				sslContext, null);
	}

	/**
	 * Create a new client that trusts the server as the TLS context of the named SSL
	 * bundle says, which a certificate the client does not trust is then reported as.
	 * @param builder the builder to start from (it is cloned, so the application's
	 * filters, default headers and observation apply and the builder itself is not
	 * changed; its codecs do not, as the client reads every answer as bytes, and a filter
	 * that reads an answer gets Spring's default codecs, with the maximum payload size as
	 * their limit)
	 * @param serverUrl the server's base URL
	 * @param tokenProvider the source of bearer tokens
	 * @param timeout the bound on each request, headers and body
	 * @param maxPayloadSize the largest body accepted
	 * @param allowInsecureHttp whether a token may be sent over plain {@code http} to a
	 * host other than loopback
	 * @param documentReader the reader that validates answers
	 * @param clock the clock used to read {@code Retry-After} dates
	 * @param sslContext the TLS context for {@code https} (trust material, client
	 * certificate), or {@code null} for the JVM's defaults
	 * @param sslBundle the name of the SSL bundle ({@code agentkit.sync.ssl.bundle}) the
	 * TLS context was made from, or {@code null} when it was made otherwise or there is
	 * none
	 */
	public WebClientConfigServerClient(WebClient.Builder builder, URI serverUrl, TokenProvider tokenProvider,
			Duration timeout, DataSize maxPayloadSize, boolean allowInsecureHttp, ConfigDocumentReader documentReader,
			Clock clock, @Nullable SslContext sslContext, @Nullable String sslBundle) {
		this.serverUrl = serverUrl;
		this.displayUrl = ServerUrls.displayed(serverUrl);
		this.query = QueryRedaction.of(serverUrl);
		this.tokenProvider = tokenProvider;
		this.timeout = timeout;
		this.allowInsecureHttp = allowInsecureHttp;
		this.documentReader = documentReader;
		this.connectionProvider = ConnectionProvider.builder("agentkit-sync")
			.maxConnections(4)
			.pendingAcquireTimeout(timeout)
			.maxIdleTime(MAX_IDLE_TIME)
			.build();
		int maxInMemorySize = (int) Math.min(Integer.MAX_VALUE, maxPayloadSize.toBytes());
		this.maxVersionBody = Math.min(maxInMemorySize, MAX_VERSION_BODY);
		this.requestFailures = new RequestFailures(serverUrl, this.query, timeout, maxPayloadSize, this.maxVersionBody,
				sslContext, sslBundle);
		this.answerFailures = new AnswerFailures(serverUrl, this.query, clock);
		this.uris = Map.of(VERSION_PATH, endpoint(serverUrl, VERSION_PATH), ALL_PATH, endpoint(serverUrl, ALL_PATH));
		this.webClient = webClient(builder, HttpClient.create(this.connectionProvider), timeout, sslContext,
				maxInMemorySize);
		// A request sent once more goes on a connection of its own: the pool may hand out
		// the dropped one again while its close is still on its way.
		WebClient.Builder newConnectionBuilder = builder.clone();
		this.newConnectionWebClient = SingletonSupplier.of(() -> webClient(newConnectionBuilder,
				HttpClient.newConnection(), timeout, sslContext, maxInMemorySize));
	}

	private static WebClient webClient(WebClient.Builder builder, HttpClient connections, Duration timeout,
			@Nullable SslContext sslContext, int maxInMemorySize) {
		// The timeout on each request (see get) bounds connection, headers and body. No
		// responseTimeout on top: it would fire together with it, and Reactor Netty logs
		// the loser of that race as a WARN with a stack trace.
		HttpClient httpClient = connections
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
			// A configuration of megabytes arrives in reads of up to 1 MiB rather than Netty's
			// 64 KiB: fewer reads, and fewer buffers to join into the body.
			.option(ChannelOption.RECVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 2048, 1 << 20))
			.compress(true)
			.followRedirect(false)
			// The JVM's proxy properties apply, as to Spring's own default Reactor client.
			.proxyWithSystemProperties()
			.doOnChannelInit((observer, channel, remoteAddress) -> InterimResponseFilter.addTo(channel.pipeline()));
		if (sslContext != null) {
			httpClient = httpClient.secure((spec) -> spec.sslContext(sslContext));
		}
		ReactorClientHttpConnector connector = new ReactorClientHttpConnector(httpClient);
		// The application's filters, default headers and observation apply; its codecs do
		// not, as the client reads every answer as bytes.
		return builder.clone()
			.clientConnector(connector)
			.exchangeFunction(ExchangeFunctions.create(connector, new AnswerReaders(maxInMemorySize)))
			.build();
	}

	@Override
	public String fetchVersion() {
		Answer answer = get(VERSION_PATH);
		try {
			return this.documentReader.readVersion(answer.body());
		}
		catch (InvalidConfigurationException ex) {
			throw invalidBody(VERSION_PATH, answer, ex);
		}
	}

	@Override
	public ConfigDocument fetchAll() {
		return fetchAll((body) -> {
		});
	}

	@Override
	public ConfigDocument fetchAll(Consumer<byte[]> bodyReceived) {
		Answer answer = get(ALL_PATH);
		bodyReceived.accept(answer.body());
		try {
			return this.documentReader.readAll(answer.body());
		}
		catch (InvalidConfigurationException ex) {
			throw invalidBody(ALL_PATH, answer, ex);
		}
	}

	private Answer get(String path) {
		try {
			Consumer<Throwable> lateFailure = (ex) -> lateFailure(path, ex);
			// The calling thread waits at most the timeout and then cancels the exchange: no
			// timer on another thread for each request.
			Answer answer = send(path).onErrorResume(Unauthorized.class, (ex) -> send(path))
				.contextWrite(Context.of(ON_ERROR_DROPPED, lateFailure))
				.block(this.timeout);
			return (answer != null) ? answer : new Answer(new byte[0], null, null);
		}
		catch (RuntimeException ex) {
			throw failure(path, ex);
		}
	}

	private ConfigServerException failure(String path, RuntimeException ex) {
		Throwable failure = Exceptions.unwrap(ex);
		String request = describe(path);
		if (failure instanceof ConfigServerException serverException) {
			return serverException;
		}
		if (failure instanceof Unauthorized unauthorized) {
			return new ConfigServerException(ConfigServerException.Reason.UNAUTHORIZED, request + " was refused: "
					+ (unauthorized.tokenSent ? "HTTP 401, also after asking the token provider for a new token "
							+ "(agentkit.sync.token, or the application's TokenProvider bean): the server does not "
							+ "accept the token"
							: "HTTP 401, and no token was sent: set agentkit.sync.token, or declare a TokenProvider "
									+ "bean that gives one"));
		}
		return this.requestFailures.translate(request, path.equals(VERSION_PATH), failure);
	}

	private ConfigServerException invalidBody(String path, Answer answer, InvalidConfigurationException ex) {
		return this.answerFailures.ofInvalidBody(describe(path), answer.body(), answer.contentType(),
				answer.contentEncoding(), ex);
	}

	/**
	 * Send a request, and send it once more, on a new connection, when the connection was
	 * closed or reset before any answer came: most likely a kept-alive connection that the
	 * server closed as the request came (its keep-alive timeout ran out). The requests are
	 * GETs, which may be repeated, as browsers and most HTTP clients do then; the timeout
	 * bounds both. A new connection that closes too fails the request.
	 */
	private Mono<Answer> send(String path) {
		return exchange(path, this.webClient).onErrorResume(RequestFailures::closedBeforeAnswer, (ex) -> {
			if (logger.isDebugEnabled()) {
				logger.debug(describe(path) + ": the connection was closed before any answer came ("
						+ this.requestFailures.rootMessage(ex) + "), so it is sent once more, on a new connection");
			}
			return exchange(path, this.newConnectionWebClient.obtain());
		});
	}

	/**
	 * A failure that comes after the request already ended, typically the connection's own
	 * timeout racing the request timeout: the request was reported already and the
	 * connection is released by the cancellation, so this is only worth a debug line.
	 */
	private void lateFailure(String path, Throwable ex) {
		if (logger.isDebugEnabled()) {
			logger.debug(describe(path) + " failed after it had ended (timed out or cancelled): "
					+ this.requestFailures.rootMessage(ex));
		}
	}

	private Mono<Answer> exchange(String path, WebClient client) {
		String token;
		try {
			token = currentToken(path);
		}
		catch (ConfigServerException ex) {
			return Mono.error(ex);
		}
		if (token != null && !this.allowInsecureHttp && !ServerUrls.protectsToken(this.serverUrl)) {
			return Mono.error(new ConfigServerException(ConfigServerException.Reason.INSECURE_TRANSPORT,
					"Refusing to send the bearer token over plain http to " + this.displayUrl
							+ "; use https, or set agentkit.sync.allow-insecure-http=true"));
		}
		URI uri = this.uris.get(path);
		return client.get().uri(uri).attribute(URI_TEMPLATE_ATTRIBUTE, uri.getRawPath()).headers((headers) -> {
			headers.set(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE);
			if (token != null) {
				headers.setBearerAuth(token);
			}
		}).exchangeToMono((response) -> readBody(path, response, token));
	}

	private @Nullable String currentToken(String path) {
		String token;
		try {
			token = this.tokenProvider.getToken();
		}
		catch (RuntimeException | LinkageError ex) {
			// Its message may quote what it read, a secret: the log has it only at DEBUG, with the stack trace.
			logger.debug("The token provider failed", ex);
			throw new ConfigServerException(ConfigServerException.Reason.UNAUTHORIZED, "The token provider failed ("
					+ ex.getClass().getName() + "; its message and stack trace are logged at DEBUG by "
					+ WebClientConfigServerClient.class.getName() + "), so " + describe(path) + " was not sent",
					null, null);
		}
		// A token read from a file often ends with a line break.
		token = (token != null) ? token.strip() : null;
		if (token == null || token.isEmpty()) {
			return null;
		}
		String problem = BearerTokens.problemWith(token);
		if (problem != null) {
			throw new ConfigServerException(ConfigServerException.Reason.UNAUTHORIZED, "The token provider gave a "
					+ "token that cannot be sent: " + problem + ", so " + describe(path) + " was not sent; give the "
					+ "token alone, as the server issued it (agentkit.sync.token, or the application's TokenProvider "
					+ "bean)", null, null);
		}
		return token;
	}

	private Mono<Answer> readBody(String path, ClientResponse answer, @Nullable String token) {
		MediaType contentType = contentTypeOf(answer);
		ClientResponse response = answer;
		if (contentType == null && answer.headers().asHttpHeaders().getFirst(HttpHeaders.CONTENT_TYPE) != null) {
			// WebClient would fail to read any body of an answer whose type it cannot parse.
			response = answer.mutate().headers((headers) -> headers.remove(HttpHeaders.CONTENT_TYPE)).build();
		}
		HttpStatusCode status = response.statusCode();
		if (status.value() == HttpStatus.OK.value()) {
			Mono<byte[]> body = path.equals(VERSION_PATH) ? versionBody(response) : response.bodyToMono(byte[].class);
			// Netty removes the Content-Encoding it decoded: one still there was not decoded.
			String contentEncoding = response.headers().asHttpHeaders().getFirst(HttpHeaders.CONTENT_ENCODING);
			return body.defaultIfEmpty(new byte[0]).map((bytes) -> new Answer(bytes, contentType, contentEncoding));
		}
		if (status.value() == HttpStatus.UNAUTHORIZED.value()) {
			return response.releaseBody().then(Mono.error(new Unauthorized(token != null)));
		}
		HttpHeaders headers = response.headers().asHttpHeaders();
		return response.bodyToMono(byte[].class)
			.map((body) -> ServerErrorText.of(body, contentType, token, this.query))
			// An error body past the size limit, or cut, says nothing: the status still does.
			.onErrorResume((failure) -> Mono.just(Optional.empty()))
			.defaultIfEmpty(Optional.empty())
			.flatMap((said) -> Mono.error(this.answerFailures.ofStatus(describe(path), status, headers,
					said.orElse(null))));
	}

	/**
	 * Return the answer's {@code Content-Type}, or {@code null} when it has none or one that
	 * cannot be parsed ({@code json}, say, or an unknown charset): the configuration is read
	 * as UTF-8 JSON whatever the answer says it is.
	 */
	private static @Nullable MediaType contentTypeOf(ClientResponse response) {
		try {
			return response.headers().contentType().orElse(null);
		}
		catch (InvalidMediaTypeException ex) {
			logger.debug("The answer's Content-Type cannot be parsed, so it is not taken into account: "
					+ ex.getMessage());
			return null;
		}
	}

	/**
	 * Read the version endpoint's body up to {@link #MAX_VERSION_BODY}: a version is a
	 * short string, so a broken endpoint that streams without end is cut there rather than
	 * at the payload size, at every poll.
	 */
	private Mono<byte[]> versionBody(ClientResponse response) {
		return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), this.maxVersionBody)
			.map((buffer) -> {
				try {
					byte[] bytes = new byte[buffer.readableByteCount()];
					buffer.read(bytes);
					return bytes;
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			});
	}

	private String describe(String path) {
		return "GET " + this.displayUrl + path;
	}

	/**
	 * Return the URI of a path under the server URL: appended to its path, with its query
	 * (a tenant parameter, say) kept on every request.
	 */
	private static URI endpoint(URI serverUrl, String path) {
		return UriComponentsBuilder.fromUri(serverUrl).path(path).fragment(null).build(true).toUri();
	}

	/**
	 * Release the connection pool. Requests in flight fail.
	 */
	@Override
	public void close() {
		this.connectionProvider.dispose();
	}

	@Override
	public String toString() {
		return "WebClientConfigServerClient[" + this.displayUrl + "]";
	}

	/**
	 * The body of a {@code 200} answer and its content type.
	 */
	private record Answer(byte[] body, @Nullable MediaType contentType, @Nullable String contentEncoding) {

	}

	/**
	 * Signals a 401 answer, to ask the token provider again.
	 */
	private static final class Unauthorized extends RuntimeException {

		/**
		 * Whether the refused request carried a token.
		 */
		private final boolean tokenSent;

		Unauthorized(boolean tokenSent) {
			super("HTTP 401", null, false, false);
			this.tokenSent = tokenSent;
		}

	}

}
