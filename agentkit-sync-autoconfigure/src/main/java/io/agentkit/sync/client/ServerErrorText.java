package io.agentkit.sync.client;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import io.agentkit.sync.LogText;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

import org.springframework.http.MediaType;

/**
 * What a server says in the body of an error answer, for the failure message: the
 * {@code detail}, {@code message}, {@code error_description} or {@code error} of a JSON
 * object (RFC 9457 problem details and most web frameworks), or a plain-text body, on
 * one line, with control characters escaped and cut after {@value #MAX_LENGTH}
 * characters (see {@link LogText}). The token sent is never repeated: a server that
 * echoes it has it replaced, and so has a server that echoes the query of the server URL
 * (see {@link QueryRedaction}). An HTML page or another type says nothing that fits on a
 * line, so it gives nothing.
 */
final class ServerErrorText {

	/**
	 * The most characters of what the server says that go into a failure message.
	 */
	static final int MAX_LENGTH = 300;

	/**
	 * The fields of a JSON error body that say what went wrong, the most telling first.
	 */
	private static final List<String> MESSAGE_FIELDS = List.of("detail", "message", "error_description", "error",
			"title");

	private static final JsonFactory jsonFactory = new JsonFactory();

	private ServerErrorText() {
	}

	/**
	 * Return what the server says in an error body.
	 * @param body the body
	 * @param contentType its type, or {@code null} when the server named none
	 * @param token the token sent with the request, or {@code null}
	 * @param query the redaction of the server URL's query
	 * @return the text, or empty when the body says nothing that fits on a line
	 */
	static Optional<String> of(byte[] body, @Nullable MediaType contentType, @Nullable String token,
			QueryRedaction query) {
		if (body.length == 0 || contentType == null) {
			return Optional.empty();
		}
		String text = null;
		if (isJson(contentType)) {
			text = messageOf(body);
		}
		else if (MediaType.TEXT_PLAIN.equalsTypeAndSubtype(contentType)) {
			Charset charset = (contentType.getCharset() != null) ? contentType.getCharset() : StandardCharsets.UTF_8;
			text = new String(body, charset);
		}
		if (text == null) {
			return Optional.empty();
		}
		if (token != null) {
			text = text.replace(token, "[the token]");
		}
		text = query.apply(text);
		String line = text.strip().replaceAll("\\s+", " ");
		return line.isEmpty() ? Optional.empty() : Optional.of(LogText.of(line, MAX_LENGTH));
	}

	private static boolean isJson(MediaType contentType) {
		return contentType.getSubtype().equals("json") || contentType.getSubtype().endsWith("+json");
	}

	/**
	 * Return the most telling message field of a JSON object, or {@code null}.
	 */
	private static @Nullable String messageOf(byte[] body) {
		String[] found = new String[MESSAGE_FIELDS.size()];
		try (JsonParser parser = jsonFactory.createParser(body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				int field = MESSAGE_FIELDS.indexOf(parser.currentName());
				if (parser.nextToken() == JsonToken.VALUE_STRING && field >= 0 && found[field] == null) {
					found[field] = parser.getString();
				}
				else {
					parser.skipChildren();
				}
			}
		}
		catch (JacksonException ex) {
			// What the server said is cut or not JSON: it has said nothing usable.
		}
		for (String message : found) {
			if (message != null && !message.isBlank()) {
				return message;
			}
		}
		return null;
	}

}
