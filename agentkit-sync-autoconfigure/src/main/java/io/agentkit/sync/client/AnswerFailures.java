package io.agentkit.sync.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

import io.agentkit.sync.InvalidConfigurationException;
import io.agentkit.sync.LogText;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;

/**
 * Turns an answer that does not carry the configuration (a status other than
 * {@code 200}, a body that is not valid) into a {@link ConfigServerException} that says
 * what came and what to check: the server's own words, where a redirect points, when to
 * retry, who else may be answering.
 */
final class AnswerFailures {

	/**
	 * A {@code Retry-After} given in seconds: digits alone (RFC 9110).
	 */
	private static final Pattern DELAY_SECONDS = Pattern.compile("[0-9]+");

	private final URI serverUrl;

	private final QueryRedaction query;

	private final Clock clock;

	/**
	 * Create a new instance.
	 * @param serverUrl the server's base URL
	 * @param query hides the server URL's query in what is shown
	 * @param clock the clock used to read {@code Retry-After} dates
	 */
	AnswerFailures(URI serverUrl, QueryRedaction query, Clock clock) {
		this.serverUrl = serverUrl;
		this.query = query;
		this.clock = clock;
	}

	/**
	 * Return the failure of an answer with a status other than {@code 200}.
	 * @param request the request, as it is shown ({@code GET} and its URL)
	 * @param status the answer's status
	 * @param headers the answer's headers
	 * @param serverSays what the answer's body says, as it may be shown, or {@code null}
	 * @return the failure, naming the status and what to do about it
	 */
	ConfigServerException ofStatus(String request, HttpStatusCode status, HttpHeaders headers,
			@Nullable String serverSays) {
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
		String apiPath = WebClientConfigServerClient.API_PATH;
		boolean repeatsApiPath = this.serverUrl.getPath() != null && this.serverUrl.getPath().contains(apiPath);
		String baseUrl = "agentkit.sync.server-url is the AgentKit server's base URL, the part before " + apiPath
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
					? LogText.of(this.query.apply(ServerUrls.displayed(target)), 200) : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * Return the failure of a {@code 200} answer whose body is not a valid configuration,
	 * with what its headers and first bytes tell of why: a body that is not JSON, an
	 * encoding left undecoded, a charset other than UTF-8.
	 * @param request the request, as it is shown ({@code GET} and its URL)
	 * @param body the body
	 * @param contentType the answer's content type, or {@code null}
	 * @param contentEncoding the content encoding left on the answer (one decoded is
	 * removed), or {@code null}
	 * @param ex why the body is not valid
	 * @return the failure
	 */
	ConfigServerException ofInvalidBody(String request, byte[] body, @Nullable MediaType contentType,
			@Nullable String contentEncoding, InvalidConfigurationException ex) {
		boolean notJson = contentType != null && !contentType.isCompatibleWith(MediaType.APPLICATION_JSON)
				&& !"json".equals(contentType.getSubtypeSuffix());
		String hint = notJson ? " (its Content-Type is " + contentType.getType() + "/" + contentType.getSubtype()
				+ ", not JSON: something other than the AgentKit server may be answering, such as a login page "
				+ "or a proxy; check agentkit.sync.server-url)" : "";
		if (contentEncoding != null && !contentEncoding.isBlank()
				&& !"identity".equalsIgnoreCase(contentEncoding.strip())) {
			hint += " (its Content-Encoding is " + LogText.of(contentEncoding, 40) + ", which this client does not "
					+ "decode: it asks for gzip, and the server must send that or no encoding)";
		}
		else if (isCompressed(body)) {
			// Netty decodes what a Content-Encoding declares, once: compressed data left is undeclared.
			hint += " (it is compressed data, " + ((body[0] == 0x1f) ? "gzip" : "zlib") + " by its first "
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
				request + " answered an invalid body: " + ex.getMessage() + hint);
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

}
