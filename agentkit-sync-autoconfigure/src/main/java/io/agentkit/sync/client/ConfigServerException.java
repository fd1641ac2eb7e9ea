package io.agentkit.sync.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a request to the AgentKit server fails. The message is short, names the
 * request and the reason, and never holds the token or a header.
 */
public class ConfigServerException extends RuntimeException {

	private final Reason reason;

	private final @Nullable Duration retryAfter;

	/**
	 * Create a new instance.
	 * @param reason the kind of failure
	 * @param message what failed and why
	 * @param retryAfter the delay the server asked for ({@code Retry-After}), or
	 * {@code null}
	 * @param cause the underlying exception, or {@code null}
	 */
	public ConfigServerException(Reason reason, String message, @Nullable Duration retryAfter,
			@Nullable Throwable cause) {
		super(message, cause);
		this.reason = reason;
		this.retryAfter = retryAfter;
	}

	/**
	 * Create a new instance.
	 * @param reason the kind of failure
	 * @param message what failed and why
	 */
	public ConfigServerException(Reason reason, String message) {
		this(reason, message, null, null);
	}

	/**
	 * Return the kind of failure.
	 * @return the reason
	 */
	public Reason getReason() {
		return this.reason;
	}

	/**
	 * Return the delay the server asked for before the next request.
	 * @return the delay, or {@code null}
	 */
	public @Nullable Duration getRetryAfter() {
		return this.retryAfter;
	}

	/**
	 * The kinds of failure.
	 */
	public enum Reason {

		/**
		 * The server could not be reached or the connection broke.
		 */
		NETWORK,

		/**
		 * The server did not answer within the timeout.
		 */
		TIMEOUT,

		/**
		 * The server rejected the token (HTTP 401 or 403), also after asking the token
		 * provider again.
		 */
		UNAUTHORIZED,

		/**
		 * The server answered with an unexpected HTTP status.
		 */
		HTTP_STATUS,

		/**
		 * The server answered with a body that breaks the protocol.
		 */
		INVALID_PAYLOAD,

		/**
		 * The body was larger than the configured maximum payload size.
		 */
		PAYLOAD_TOO_LARGE,

		/**
		 * The request was not sent because it would have exposed the token.
		 */
		INSECURE_TRANSPORT,

		/**
		 * The request was cancelled because the client is shutting down.
		 */
		CANCELLED

	}

}
