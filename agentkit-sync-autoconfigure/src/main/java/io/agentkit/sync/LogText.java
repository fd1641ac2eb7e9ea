package io.agentkit.sync;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * A value the server gave (a version, a skill name, a {@code synced_at}, an error message
 * quoting its answer) as it goes into a log line or a status: on that one line, with
 * control characters escaped (a line break as {@code \n}, an escape character as its
 * code, and so the characters that reverse the direction text is shown in), and cut
 * after {@value #MAX_LENGTH} characters, so that no configuration can forge log lines,
 * colour a terminal or flood the log. The starter logs every such value this way; an
 * application that logs configuration values can too.
 */
public final class LogText {

	/**
	 * The most characters of a value that are logged; versions and names are far shorter.
	 */
	public static final int MAX_LENGTH = 200;

	private LogText() {
	}

	/**
	 * Return the text of a value for a log line.
	 * @param value the value, or {@code null}
	 * @return its text, on one line and at most {@link #MAX_LENGTH} characters of it
	 */
	public static String of(@Nullable Object value) {
		return of(value, MAX_LENGTH);
	}

	/**
	 * Return the text of a value for a log line, cut after the given length.
	 * @param value the value, or {@code null}
	 * @param maxLength the most characters of it to keep
	 * @return its text, on one line and at most {@code maxLength} characters of it
	 */
	public static String of(@Nullable Object value, int maxLength) {
		String text = String.valueOf(value);
		int end = Math.min(text.length(), maxLength);
		if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
			end--;
		}
		StringBuilder line = new StringBuilder(end + 32);
		for (int i = 0; i < end; i++) {
			char character = text.charAt(i);
			if (Character.isISOControl(character) || character == '\u2028' || character == '\u2029'
					|| isBidiControl(character)) {
				line.append(escape(character));
			}
			else {
				line.append(character);
			}
		}
		if (end < text.length()) {
			line.append("... (").append(text.length()).append(" characters)");
		}
		return line.toString();
	}

	/**
	 * Return whether a character changes the direction text is shown in: a name holding
	 * one could show the rest of its log line in another order than it was written
	 * (CVE-2021-42574).
	 */
	private static boolean isBidiControl(char character) {
		return character == '\u061c' || character == '\u200e' || character == '\u200f'
				|| (character >= '\u202a' && character <= '\u202e')
				|| (character >= '\u2066' && character <= '\u2069');
	}

	private static String escape(char character) {
		return switch (character) {
			case '\n' -> "\\n";
			case '\r' -> "\\r";
			case '\t' -> "\\t";
			default -> String.format(Locale.ROOT, "\\u%04x", (int) character);
		};
	}

}
