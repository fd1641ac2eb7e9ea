package io.agentkit.sync.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLHandshakeException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * Turns the failure of a request that got no usable answer (no connection, a TLS
 * handshake or certificate that fails, a timeout, a body past its limit, an answer that
 * is not HTTP, a connection closed or reset) into a {@link ConfigServerException} that
 * names the cause and what to check. Known network failures carry no stack trace;
 * anything else keeps its cause.
 */
final class RequestFailures {

	private final URI serverUrl;

	private final QueryRedaction query;

	private final Duration timeout;

	private final DataSize maxPayloadSize;

	private final int maxVersionBody;

	/**
	 * What decides which server certificates are trusted and what to do about one that is
	 * not, for the message of a certificate that is not trusted.
	 */
	private final String notTrusted;

	/**
	 * Create a new instance.
	 * @param serverUrl the server's base URL
	 * @param query hides the server URL's query in what is shown
	 * @param timeout the bound on each request
	 * @param maxPayloadSize the largest body accepted
	 * @param maxVersionBody the largest body read from the version endpoint
	 * @param sslContext the TLS context the client was given, or {@code null} for the JVM's
	 * defaults
	 * @param sslBundle the name of the SSL bundle the TLS context was made from, or
	 * {@code null}
	 */
	RequestFailures(URI serverUrl, QueryRedaction query, Duration timeout, DataSize maxPayloadSize, int maxVersionBody,
			@Nullable SslContext sslContext, @Nullable String sslBundle) {
		this.serverUrl = serverUrl;
		this.query = query;
		this.timeout = timeout;
		this.maxPayloadSize = maxPayloadSize;
		this.maxVersionBody = maxVersionBody;
		this.notTrusted = notTrusted(sslContext, sslBundle);
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

	/**
	 * Return the failure of a request that got no usable answer.
	 * @param request the request, as it is shown ({@code GET} and its URL)
	 * @param versionRequest whether it is the request for the version, whose body has a
	 * limit of its own
	 * @param failure what it failed with, unwrapped from Reactor's wrapping
	 * @return the failure, naming the cause and what to check
	 */
	ConfigServerException translate(String request, boolean versionRequest, Throwable failure) {
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
			boolean versionLimit = versionRequest && this.maxVersionBody < this.maxPayloadSize.toBytes();
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
			return failed(request, "the server's certificate is not for host " + host + " ("
					+ rootMessage(hostMismatch) + "); reach the server by a name its certificate has, in "
					+ "agentkit.sync.server-url, or have a certificate issued for " + host);
		}
		if (hasCause(failure, CertPathBuilderException.class) || hasCause(failure, CertificateException.class)) {
			return failed(request, rootMessage(failure) + "; the server's certificate is not trusted by "
					+ this.notTrusted);
		}
		if (hasCause(failure, UnknownHostException.class)) {
			return failed(request, "unknown host '" + this.serverUrl.getHost() + "' ("
					+ rootMessage(failure, UnknownHostException.class)
					+ "); check the host of agentkit.sync.server-url");
		}
		if (hasCause(failure, ConnectException.class) && !hasCause(failure, ConnectTimeoutException.class)) {
			return failed(request, "could not connect (" + rootMessage(failure)
					+ "); is the AgentKit server running and listening on that host and port? Check "
					+ "agentkit.sync.server-url");
		}
		if (hasCause(failure, NotSslRecordException.class)) {
			return failed(request, "the server did not answer in TLS, so it may serve plain http "
					+ "on this port; check the scheme and the port of agentkit.sync.server-url");
		}
		if (hasCause(failure, SSLHandshakeException.class)) {
			return failed(request, "the TLS handshake failed ("
					+ rootMessage(failure, SSLHandshakeException.class) + "); check that the server serves https on "
					+ "the port of agentkit.sync.server-url and accepts this client's TLS versions, ciphers and "
					+ "certificate");
		}
		// Reactor Netty's close before or during the answer, or Netty's own in the middle of its headers.
		if (hasCause(failure, PrematureCloseException.class)
				|| hasCause(failure, PrematureChannelClosureException.class)) {
			return failed(request, "the connection was closed before the whole answer came (" + rootMessage(failure)
					+ "), by the server or by something in between (a proxy, a load balancer, a firewall)");
		}
		if (wasReset(failure)) {
			return failed(request,
					"the connection was reset, by the server or by something in between (a proxy, a load balancer, "
							+ "a firewall)");
		}
		// Headers too long are a decoding failure of Netty's too, said apart.
		if (hasCause(failure, TooLongFrameException.class)) {
			return failed(request, "the answer's headers are larger than this client reads ("
					+ rootMessage(failure, TooLongFrameException.class) + "); an AgentKit server sends short headers, "
					+ "so something else may be answering: check agentkit.sync.server-url");
		}
		if (isUndecodable(failure) || (failure instanceof WebClientRequestException
				&& failure.getCause() instanceof IllegalArgumentException)) {
			return failed(request, "the answer cannot be read as HTTP (" + rootMessage(failure)
					+ "); check that agentkit.sync.server-url names the AgentKit server: its scheme (a port that "
					+ "serves TLS needs https), host and port");
		}
		// Known network failures need no stack trace; anything else keeps its cause.
		boolean network = failure instanceof WebClientRequestException
				|| hasCause(failure, PrematureCloseException.class) || hasCause(failure, IOException.class);
		return new ConfigServerException(ConfigServerException.Reason.NETWORK,
				request + " failed: " + rootMessage(failure), null, network ? null : failure);
	}

	/**
	 * Return the failure of a request that got no usable answer from the network.
	 * @param request the request, as it is shown
	 * @param cause what went wrong and what to check
	 */
	private static ConfigServerException failed(String request, String cause) {
		return new ConfigServerException(ConfigServerException.Reason.NETWORK, request + " failed: " + cause);
	}

	/**
	 * Return whether a request failed because its connection was closed or reset before
	 * any answer came. WebClient wraps what fails before the answer's headers in a
	 * {@link WebClientRequestException}; Reactor Netty's {@link PrematureCloseException}
	 * in it is a close before any byte of the answer (Netty's own
	 * {@link PrematureChannelClosureException} is one in the middle of the headers).
	 */
	static boolean closedBeforeAnswer(Throwable ex) {
		Throwable failure = Exceptions.unwrap(ex);
		if (!(failure instanceof WebClientRequestException)
				|| hasCause(failure, PrematureChannelClosureException.class)) {
			return false;
		}
		if (hasCause(failure, PrematureCloseException.class)) {
			return true;
		}
		return wasReset(failure);
	}

	/**
	 * Return whether a failure's connection was reset (a TCP RST): the JDK says so in the
	 * message of a plain {@link IOException} ({@code SocketException: Connection reset},
	 * or Netty's native transport's {@code Connection reset by peer}), with no type of its
	 * own.
	 */
	private static boolean wasReset(Throwable failure) {
		String message = NestedExceptionUtils.getMostSpecificCause(failure).getMessage();
		return message != null && message.contains("Connection reset");
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
	String rootMessage(Throwable failure) {
		Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
		String message = (root.getMessage() != null) ? this.query.apply(root.getMessage()).strip() : "";
		// Netty ends some messages with a full stop, which the sentences around them do not want.
		message = message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
		return !message.isEmpty() ? message : root.getClass().getSimpleName();
	}

	private static String humanize(DataSize size) {
		long bytes = size.toBytes();
		if (bytes % DataSize.ofMegabytes(1).toBytes() == 0) {
			return size.toMegabytes() + "MB";
		}
		return (bytes % DataSize.ofKilobytes(1).toBytes() == 0) ? size.toKilobytes() + "KB" : bytes + "B";
	}

}
