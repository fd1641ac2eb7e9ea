package io.agentkit.sync.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import javax.net.ssl.SSLHandshakeException;

import io.agentkit.sync.ConfigDocument;
import io.agentkit.sync.ConfigDocumentReader;
import io.agentkit.sync.InvalidConfigurationException;
import io.agentkit.sync.LogText;
import io.agentkit.sync.TokenProvider;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.context.Context;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.buffer.DataBufferLimitException;
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
import org.springframework.web.reactive.function.client.WebClientRequestException;
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

	private static final String API_PATH = "/api/v1/config";

	static final String VERSION_PATH = API_PATH + "/version";

	static final String ALL_PATH = API_PATH + "/all";

	/**
	 * The largest body read from the version endpoint (or the payload size, when smaller).
	 */
	static final int MAX_VERSION_BODY = 64 * 1024;

	/**
	 * A {@code Retry-After} given in seconds: digits alone (RFC 9110).
	 */
	private static final Pattern DELAY_SECONDS = Pattern.compile("[0-9]+");

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

	private final DataSize maxPayloadSize;

	private final int maxVersionBody;

	private final boolean allowInsecureHttp;

	private final ConfigDocumentReader documentReader;

	private final Clock clock;

	/**
	 * What decides which server certificates are trusted and what to do about one that is
	 * not, for the message of a certificate that is not trusted.
	 */
	private final String notTrusted;

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
		this.displayUrl = displayUrl(serverUrl);
		this.query = QueryRedaction.of(serverUrl);
		this.tokenProvider = tokenProvider;
		this.timeout = timeout;
		this.maxPayloadSize = maxPayloadSize;
		this.allowInsecureHttp = allowInsecureHttp;
		this.documentReader = documentReader;
		this.clock = clock;
		this.notTrusted = notTrusted(sslContext, sslBundle);
		this.connectionProvider = ConnectionProvider.builder("agentkit-sync")
			.maxConnections(4)
			.pendingAcquireTimeout(timeout)
			.maxIdleTime(MAX_IDLE_TIME)
			.build();
		int maxInMemorySize = (int) Math.min(Integer.MAX_VALUE, maxPayloadSize.toBytes());
		this.maxVersionBody = Math.min(maxInMemorySize, MAX_VERSION_BODY);
		this.uris = Map.of(VERSION_PATH, endpoint(serverUrl, VERSION_PATH), ALL_PATH, endpoint(serverUrl, ALL_PATH));
		this.webClient = webClient(builder, HttpClient.create(this.connectionProvider), timeout, sslContext,
				maxInMemorySize);
		// A request sent once more goes on a connection of its own: the pool may hand out
		// the dropped one again while its close is still on its way.
		WebClient.Builder newConnectionBuilder = builder.clone();
		this.newConnectionWebClient = SingletonSupplier.of(() -> webClient(newConnectionBuilder,
				HttpClient.newConnection(), timeout, sslContext, maxInMemorySize));
	}

	/**
	 * Return what decides which certificates are trusted and what to do about one that is
	 * not: the JVM's trust store, the given SSL bundle, or a TLS context given by hand.
	 */
	private static String notTrusted(@Nullable SslContext sslContext, @Nullable String sslBundle) {
		if (sslContext == null) {
			return "this application (the JVM's default trust store): set agentkit.sync.ssl.bundle to an SSL bundle "
					+ "(spring.ssl.bundle.*) that trusts it";
		}
		String fromTheIssuer = "the certificate of the CA that issued it, or the certificate itself";
		return (sslBundle != null) ? "SSL bundle '" + sslBundle + "' (agentkit.sync.ssl.bundle): add " + fromTheIssuer
				+ ", to that bundle's trust material (spring.ssl.bundle.pem." + sslBundle
				+ ".truststore.certificate, or the trust store of spring.ssl.bundle.jks." + sslBundle + ")"
				: "the TLS context this client was given: make the TLS context trust " + fromTheIssuer;
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
			throw invalid(VERSION_PATH, answer, ex);
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
			throw invalid(ALL_PATH, answer, ex);
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
			throw translate(path, ex);
		}
	}

	/**
	 * Send a request, and send it once more, on a new connection, when the connection was
	 * closed or reset before any answer came: most likely a kept-alive connection that the
	 * server closed as the request came (its keep-alive timeout ran out). The requests are
	 * GETs, which may be repeated, as browsers and most HTTP clients do then; the timeout
	 * bounds both. A new connection that closes too fails the request.
	 */
	private Mono<Answer> send(String path) {
		return exchange(path, this.webClient).onErrorResume(WebClientConfigServerClient::closedBeforeAnswer, (ex) -> {
			if (logger.isDebugEnabled()) {
				logger.debug(describe(path) + ": the connection was closed before any answer came ("
						+ rootMessage(ex) + "), so it is sent once more, on a new connection");
			}
			return exchange(path, this.newConnectionWebClient.obtain());
		});
	}

	/**
	 * Return whether a request failed because its connection was closed or reset before
	 * any answer came. WebClient wraps what fails before the answer's headers in a
	 * {@link WebClientRequestException}; Reactor Netty's {@link PrematureCloseException}
	 * in it is a close before any byte of the answer (Netty's own
	 * {@link PrematureChannelClosureException} is one in the middle of the headers).
	 */
	private static boolean closedBeforeAnswer(Throwable ex) {
		Throwable failure = Exceptions.unwrap(ex);
		if (!(failure instanceof WebClientRequestException)
				|| hasCause(failure, PrematureChannelClosureException.class)) {
			return false;
		}
		if (hasCause(failure, PrematureCloseException.class)) {
			return true;
		}
		String message = NestedExceptionUtils.getMostSpecificCause(failure).getMessage();
		return message != null && message.contains("Connection reset");
	}

	/**
	 * A failure that comes after the request already ended, typically the connection's own
	 * timeout racing the request timeout: the request was reported already and the
	 * connection is released by the cancellation, so this is only worth a debug line.
	 */
	private void lateFailure(String path, Throwable ex) {
		if (logger.isDebugEnabled()) {
			logger.debug(describe(path) + " failed after it had ended (timed out or cancelled): " + rootMessage(ex));
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
			.flatMap((said) -> Mono.error(statusFailure(path, status, headers, said.orElse(null))));
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

	private ConfigServerException statusFailure(String path, HttpStatusCode status, HttpHeaders headers,
			@Nullable String serverSays) {
		String request = describe(path);
		String says = (serverSays != null) ? "; the server says: " + serverSays : "";
		if (status.value() == HttpStatus.FORBIDDEN.value()) {
			return new ConfigServerException(ConfigServerException.Reason.UNAUTHORIZED,
					request + " was refused: HTTP 403 (the token lacks access)" + says);
		}
		if (status.value() == HttpStatus.NOT_FOUND.value()) {
			return notFound(request, serverSays, says);
		}
		if (status.value() == HttpStatus.NOT_MODIFIED.value()) {
			// The request carried no condition, so something in between answered for the server.
			return new ConfigServerException(ConfigServerException.Reason.HTTP_STATUS, request + " answered HTTP 304 "
					+ "(not modified) to a request without conditions; a cache or proxy between here and the "
					+ "server is answering for it");
		}
		if (status.is2xxSuccessful()) {
			// 200 is the one answer the API gives: another success carries no configuration (a 204 no body at all).
			HttpStatus known = HttpStatus.resolve(status.value());
			return new ConfigServerException(ConfigServerException.Reason.HTTP_STATUS, request + " answered HTTP "
					+ status.value() + ((known != null) ? " (" + known.getReasonPhrase() + ")" : "") + ", where the "
					+ "AgentKit API answers 200 with the JSON body; a proxy or another service may be answering for "
					+ "the server: check agentkit.sync.server-url" + says);
		}
		if (status.is3xxRedirection()) {
			String location = redirectTarget(headers.getFirst(HttpHeaders.LOCATION));
			return new ConfigServerException(ConfigServerException.Reason.HTTP_STATUS, request + " answered HTTP "
					+ status.value() + " (a redirect" + ((location != null) ? " to " + location : "")
					+ "); redirects are not followed, set agentkit.sync.server-url to the final address");
		}
		Duration retryAfter = (status.value() == 429 || status.value() == 503)
				? parseRetryAfter(headers.getFirst(HttpHeaders.RETRY_AFTER)) : null;
		String message = request + " failed: HTTP " + status.value()
				+ ((retryAfter != null) ? " (Retry-After " + retryAfter.toSeconds() + "s)" : "") + says;
		return new ConfigServerException(ConfigServerException.Reason.HTTP_STATUS, message, retryAfter, null);
	}

	/**
	 * Return the failure of a 404. A server URL that repeats the API's path, or a 404
	 * that says no more than "Not Found" (a web framework's answer to a path it has no
	 * route for), is most likely a wrong base URL; a 404 that says more (an unknown
	 * tenant, say) may be the server's own, so its words come first and the base URL is
	 * only what to check if it is the path that is not found.
	 */
	private ConfigServerException notFound(String request, @Nullable String serverSays, String says) {
		boolean repeatsApiPath = this.serverUrl.getPath() != null && this.serverUrl.getPath().contains(API_PATH);
		String baseUrl = "agentkit.sync.server-url is the AgentKit server's base URL, the part before " + API_PATH
				+ (repeatsApiPath ? ", which it repeats now" : "");
		String message;
		if (repeatsApiPath || serverSays == null || saysOnlyNotFound(serverSays)) {
			message = request + " failed: HTTP 404 (no such path on the server); " + baseUrl + says;
		}
		else {
			message = request + " failed: HTTP 404; the server says: " + serverSays + " (if it is the path that "
					+ "the server does not know: " + baseUrl + ")";
		}
		return new ConfigServerException(ConfigServerException.Reason.HTTP_STATUS, message);
	}

	private static boolean saysOnlyNotFound(String serverSays) {
		String words = serverSays.strip().toLowerCase(Locale.ROOT).replaceFirst("^404:?\\s*", "");
		words = words.endsWith(".") ? words.substring(0, words.length() - 1) : words;
		return words.equals("not found");
	}

	private static String humanize(DataSize size) {
		long bytes = size.toBytes();
		if (bytes % DataSize.ofMegabytes(1).toBytes() == 0) {
			return size.toMegabytes() + "MB";
		}
		return (bytes % DataSize.ofKilobytes(1).toBytes() == 0) ? size.toKilobytes() + "KB" : bytes + "B";
	}

	/**
	 * Return the delay a {@code Retry-After} asks for: seconds (a number of any size, one
	 * too large to count being the longest delay there is, which the poll schedule caps) or
	 * an HTTP date; {@code null} for anything else, as the header then says nothing.
	 */
	private @Nullable Duration parseRetryAfter(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String trimmed = value.trim();
		if (DELAY_SECONDS.matcher(trimmed).matches()) {
			try {
				return Duration.ofSeconds(Long.parseLong(trimmed));
			}
			catch (NumberFormatException ex) {
				return Duration.ofSeconds(Long.MAX_VALUE);
			}
		}
		try {
			ZonedDateTime at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
			Duration delay = Duration.between(this.clock.instant(), at.toInstant());
			return delay.isNegative() ? Duration.ZERO : delay;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private ConfigServerException translate(String path, RuntimeException ex) {
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
		if (Thread.currentThread().isInterrupted() || hasCause(failure, InterruptedException.class)) {
			return new ConfigServerException(ConfigServerException.Reason.CANCELLED, request + " was cancelled",
					null, null);
		}
		if (hasCause(failure, TimeoutException.class) || hasCause(failure, ReadTimeoutException.class)) {
			return new ConfigServerException(ConfigServerException.Reason.TIMEOUT,
					request + " timed out: no complete answer within " + this.timeout.toMillis() + " ms", null, null);
		}
		if (hasCause(failure, DecompressionException.class)) {
			return new ConfigServerException(ConfigServerException.Reason.INVALID_PAYLOAD, request
					+ " answered a compressed body that cannot be decompressed (" + rootMessage(failure)
					+ "); the server or a proxy in between sent a broken Content-Encoding", null, null);
		}
		if (hasCause(failure, DataBufferLimitException.class)) {
			// The version's own limit, when it is the smaller one, is not the user's to raise.
			boolean versionLimit = path.equals(VERSION_PATH) && this.maxVersionBody < this.maxPayloadSize.toBytes();
			return new ConfigServerException(ConfigServerException.Reason.PAYLOAD_TOO_LARGE, request
					+ " was cut: the body is larger than " + (versionLimit
							? humanize(DataSize.ofBytes(this.maxVersionBody)) + ", where a version is a short JSON "
									+ "string; the server's version endpoint is broken"
							: "agentkit.sync.max-payload-size (" + humanize(this.maxPayloadSize) + "); raise it if "
									+ "the configuration is meant to be that large"),
					null, null);
		}
		Throwable hostMismatch = hostMismatch(failure);
		if (hostMismatch != null) {
			String host = this.serverUrl.getHost();
			return new ConfigServerException(ConfigServerException.Reason.NETWORK,
					request + " failed: the server's certificate is not for host " + host + " ("
							+ rootMessage(hostMismatch) + "); reach the server by a name its certificate has, in "
							+ "agentkit.sync.server-url, or have a certificate issued for " + host);
		}
		if (hasCause(failure, CertPathBuilderException.class) || hasCause(failure, CertificateException.class)) {
			return new ConfigServerException(ConfigServerException.Reason.NETWORK,
					request + " failed: " + rootMessage(failure) + "; the server's certificate is not trusted by "
							+ this.notTrusted);
		}
		if (hasCause(failure, UnknownHostException.class)) {
			return new ConfigServerException(ConfigServerException.Reason.NETWORK,
					request + " failed: unknown host '" + this.serverUrl.getHost() + "' ("
					+ rootMessage(failure, UnknownHostException.class)
					+ "); check the host of agentkit.sync.server-url");
		}
		if (hasCause(failure, ConnectException.class) && !hasCause(failure, ConnectTimeoutException.class)) {
			return new ConfigServerException(ConfigServerException.Reason.NETWORK,
					request + " failed: could not connect (" + rootMessage(failure)
					+ "); is the AgentKit server running and listening on that host and port? Check "
					+ "agentkit.sync.server-url");
		}
		if (hasCause(failure, NotSslRecordException.class)) {
			return new ConfigServerException(ConfigServerException.Reason.NETWORK,
					request + " failed: the server did not answer in TLS, so it may serve plain http "
					+ "on this port; check the scheme and the port of agentkit.sync.server-url");
		}
		if (hasCause(failure, SSLHandshakeException.class)) {
			return new ConfigServerException(ConfigServerException.Reason.NETWORK,
					request + " failed: the TLS handshake failed ("
					+ rootMessage(failure, SSLHandshakeException.class) + "); check that the server serves https on "
					+ "the port of agentkit.sync.server-url and accepts this client's TLS versions, ciphers and "
					+ "certificate");
		}
		// Reactor Netty's close before or during the answer, or Netty's own in the middle of its headers.
		if (hasCause(failure, PrematureCloseException.class)
				|| hasCause(failure, PrematureChannelClosureException.class)) {
			return new ConfigServerException(ConfigServerException.Reason.NETWORK, request + " failed: the connection "
					+ "was closed before the whole answer came (" + rootMessage(failure)
					+ "), by the server or by something in between (a proxy, a load balancer, a firewall)");
		}
		if (rootMessage(failure).contains("Connection reset")) {
			return new ConfigServerException(ConfigServerException.Reason.NETWORK, request + " failed: the connection "
					+ "was reset, by the server or by something in between (a proxy, a load balancer, a firewall)");
		}
		if (!hasCause(failure, TooLongFrameException.class) && (isUndecodable(failure)
				|| (failure instanceof WebClientRequestException
						&& failure.getCause() instanceof IllegalArgumentException))) {
			return new ConfigServerException(ConfigServerException.Reason.NETWORK,
					request + " failed: the answer cannot be read as HTTP (" + rootMessage(failure)
					+ "); check that agentkit.sync.server-url names the AgentKit server: its scheme (a port that "
					+ "serves TLS needs https), host and port");
		}
		if (hasCause(failure, TooLongFrameException.class)) {
			return new ConfigServerException(ConfigServerException.Reason.NETWORK,
					request + " failed: the answer's headers are larger than this client reads ("
							+ rootMessage(failure, TooLongFrameException.class) + "); an AgentKit server sends "
							+ "short headers, so something else may be answering: check agentkit.sync.server-url");
		}
		// Known network failures need no stack trace; anything else keeps its cause.
		boolean network = failure instanceof WebClientRequestException
				|| hasCause(failure, PrematureCloseException.class) || hasCause(failure, IOException.class);
		return new ConfigServerException(ConfigServerException.Reason.NETWORK,
				request + " failed: " + rootMessage(failure), null, network ? null : failure);
	}

	private ConfigServerException invalid(String path, Answer answer, InvalidConfigurationException ex) {
		MediaType contentType = answer.contentType();
		boolean notJson = contentType != null && !contentType.isCompatibleWith(MediaType.APPLICATION_JSON)
				&& !"json".equals(contentType.getSubtypeSuffix());
		String hint = notJson ? " (its Content-Type is " + contentType.getType() + "/" + contentType.getSubtype()
				+ ", not JSON: something other than the AgentKit server may be answering, such as a login page "
				+ "or a proxy; check agentkit.sync.server-url)" : "";
		String encoding = answer.contentEncoding();
		if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.strip())) {
			hint += " (its Content-Encoding is " + LogText.of(encoding, 40) + ", which this client does not "
					+ "decode: it asks for gzip, and the server must send that or no encoding)";
		}
		else if (isCompressed(answer.body())) {
			// Netty decodes what a Content-Encoding declares, once: compressed data left is undeclared.
			hint += " (it is compressed data, " + ((answer.body()[0] == 0x1f) ? "gzip" : "zlib") + " by its first "
					+ "bytes, that no Content-Encoding declares: the server sent it without the header, a proxy "
					+ "in between removed it, or the body was compressed twice; the server must send JSON, or "
					+ "gzip declared by Content-Encoding: gzip)";
		}
		String charset = (contentType != null) ? contentType.getParameter("charset") : null;
		if (charset != null && !StandardCharsets.UTF_8.name().equalsIgnoreCase(charset.replace("\"", ""))) {
			hint += " (its Content-Type declares charset " + LogText.of(charset, 40)
					+ ": the configuration is read as UTF-8, which JSON between systems must be)";
		}
		return new ConfigServerException(ConfigServerException.Reason.INVALID_PAYLOAD,
				describe(path) + " answered an invalid body: " + ex.getMessage() + hint);
	}

	/**
	 * Return whether a body starts as gzip data ({@code 1F 8B 08}) or zlib data
	 * ({@code 78} and a second byte that makes the two a multiple of 31), as no JSON does.
	 */
	private static boolean isCompressed(byte[] body) {
		if (body.length < 3) {
			return false;
		}
		int first = body[0] & 0xFF;
		int second = body[1] & 0xFF;
		return (first == 0x1f && second == 0x8b && body[2] == 8) || (first == 0x78 && (first * 256 + second) % 31 == 0);
	}

	private String describe(String path) {
		return "GET " + this.displayUrl + path;
	}

	/**
	 * Return whether Netty could not decode the answer: a {@link DecoderException}, or an
	 * exception Netty's decoding threw itself (the first frame of its stack is Netty's), as
	 * it does on a chunk size that is not one: a {@link NumberFormatException}, or, for a
	 * byte outside ASCII, an {@link ArrayIndexOutOfBoundsException} from its hexadecimal
	 * parsing. An {@link IOException} is the connection's, and is told apart before.
	 */
	private static boolean isUndecodable(Throwable failure) {
		if (hasCause(failure, DecoderException.class)) {
			return true;
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			StackTraceElement[] frames = cause.getStackTrace();
			if (!(cause instanceof IOException) && frames.length > 0
					&& frames[0].getClassName().startsWith("io.netty.")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return the failure of the check that the server's certificate is for the host the
	 * client asked for, or {@code null}: the JDK's check (which Reactor Netty turns on)
	 * says "No subject alternative DNS name matching ...", "No subject alternative names
	 * matching IP address ...", "No subject alternative names present" or "No name
	 * matching ...". It is made once the certificate is trusted, so this is the one fault.
	 */
	private static @Nullable Throwable hostMismatch(Throwable failure) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			String message = candidate.getMessage();
			if (candidate instanceof CertificateException && message != null
					&& (message.startsWith("No subject alternative") || message.startsWith("No name matching"))) {
				return candidate;
			}
		}
		return null;
	}

	private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
		return findCause(failure, type) != null;
	}

	/**
	 * Return the first of a failure's causes, or of the failures suppressed along them,
	 * that is of the given type: Netty reports a connection closed during the TLS
	 * handshake as a closed channel with the handshake's failure suppressed in it.
	 */
	private static @Nullable Throwable findCause(Throwable failure, Class<? extends Throwable> type) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return candidate;
			}
			for (Throwable suppressed : candidate.getSuppressed()) {
				if (type.isInstance(suppressed)) {
					return suppressed;
				}
			}
		}
		return null;
	}

	private String rootMessage(Throwable failure, Class<? extends Throwable> type) {
		Throwable cause = findCause(failure, type);
		return rootMessage((cause != null) ? cause : failure);
	}

	/**
	 * Return the message of a failure's most specific cause, with the server URL's query
	 * hidden: Netty's messages quote what the server sent (a status line it cannot read,
	 * say).
	 */
	private String rootMessage(Throwable failure) {
		Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
		String message = (root.getMessage() != null) ? this.query.apply(root.getMessage()).strip() : "";
		// Netty ends some messages with a full stop, which the sentences around them do not want.
		message = message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
		return !message.isEmpty() ? message : root.getClass().getSimpleName();
	}


	/**
	 * Return where a redirect points, without its query or credentials (as the server's
	 * own URL is shown), or {@code null} when it names no URL.
	 */
	private @Nullable String redirectTarget(@Nullable String location) {
		if (location == null || location.isBlank()) {
			return null;
		}
		try {
			URI target = this.serverUrl.resolve(location.strip());
			return (target.getScheme() != null && target.getHost() != null)
					? LogText.of(this.query.apply(displayUrl(target)), 200) : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static String displayUrl(URI url) {
		String text = url.getScheme() + "://" + url.getHost() + ((url.getPort() != -1) ? ":" + url.getPort() : "")
				+ ((url.getPath() != null) ? url.getPath() : "");
		return trimTrailingSlash(text);
	}

	/**
	 * Return the URI of a path under the server URL: appended to its path, with its query
	 * (a tenant parameter, say) kept on every request.
	 */
	private static URI endpoint(URI serverUrl, String path) {
		return UriComponentsBuilder.fromUri(serverUrl).path(path).fragment(null).build(true).toUri();
	}

	private static String trimTrailingSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
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
