package io.agentkit.sync.client;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * What makes a token unfit for an {@code Authorization: Bearer} header, checked before
 * any request is sent: for {@code agentkit.sync.token} at startup, for a
 * {@code TokenProvider}'s token at each request. A token is one word of printable ASCII
 * (RFC 6750's {@code b64token} is narrower still): a token pasted with the
 * {@code Bearer } the client writes itself, one that holds a space (two words, or a
 * scheme and a token), a control character (which could add a header of its own) or a
 * character outside ASCII (which Netty would send as another byte) would reach the server
 * as another token, or as none, and be refused with a {@code 401} that does not say why.
 * The descriptions never quote the token.
 */
public final class BearerTokens {

	/**
	 * What the {@code Authorization} header says before the token, and what a token
	 * copied with it starts with.
	 */
	public static final String BEARER_PREFIX = "Bearer ";

	private BearerTokens() {
	}

	/**
	 * Return what makes a token unfit to send, or {@code null} when it can be sent. The
	 * token is taken stripped of leading and trailing white space, as it is sent (a token
	 * read from a file often ends with a line break).
	 * @param token the token
	 * @return the problem, as a clause such as
	 * {@code "it holds a space (at index 6), and a bearer token is one word: ..."}, or
	 * {@code null}
	 */
	public static @Nullable String problemWith(String token) {
		String sent = token.strip();
		if (sent.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
			return "it starts with 'Bearer ', which the header has before the token already (the server would get "
					+ "'Bearer Bearer ...')";
		}
		for (int i = 0; i < sent.length(); i++) {
			char character = sent.charAt(i);
			if (character == ' ') {
				return "it holds a space (at index " + i + "), and a bearer token is one word: the header would "
						+ "carry two";
			}
			if (Character.isISOControl(character) || character > '~') {
				return String.format(Locale.ROOT, "it holds %s (U+%04X at index %d), which an HTTP header cannot carry",
						Character.isISOControl(character) ? "a control character" : "a character outside ASCII",
						(int) character, i);
			}
		}
		return null;
	}

}
