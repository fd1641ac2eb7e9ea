package io.agentkit.sync;

import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The words the engine's log lines and status are made of: an error message on one line,
 * an amount with its noun, how long ago something was, how long a delay is.
 */
final class LogWords {

	/**
	 * The most characters of an error message kept in the status and the log.
	 */
	static final int MAX_ERROR_LENGTH = 500;

	private LogWords() {
	}

	/**
	 * Return an error message for the status and the log: on one line, its runs of white
	 * space made one space, and at most {@link #MAX_ERROR_LENGTH} characters of it.
	 * @param message the message, or {@code null}
	 * @return the message, or "unknown error" when there is none
	 */
	static String errorMessage(@Nullable String message) {
		if (message == null || message.isBlank()) {
			return "unknown error";
		}
		return LogText.of(message.strip().replaceAll("\\s+", " "), MAX_ERROR_LENGTH);
	}

	/**
	 * Return an amount of something, its noun in the plural unless the amount is one.
	 * @param amount the amount
	 * @param noun the noun in the singular
	 * @return the amount and the noun, as in "3 skills"
	 */
	static String count(long amount, String noun) {
		return amount + " " + noun + ((amount == 1) ? "" : "s");
	}

	/**
	 * Return how many skills and workflows a snapshot has.
	 * @param snapshot the snapshot
	 * @return as in "12 skills, 1 workflow"
	 */
	static String items(ConfigSnapshot snapshot) {
		return count(snapshot.skills().size(), "skill") + ", " + count(snapshot.workflows().size(), "workflow");
	}

	/**
	 * Return how long ago something was, in the largest whole unit, for a log line read by
	 * someone deciding whether a cached configuration is recent.
	 * @param age how long ago it was
	 * @return as in ", 3 hours ago", or empty when the age is not past
	 */
	static String ago(Duration age) {
		if (age.isNegative() || age.isZero()) {
			return "";
		}
		if (age.toDays() > 0) {
			return ", " + count(age.toDays(), "day") + " ago";
		}
		if (age.toHours() > 0) {
			return ", " + count(age.toHours(), "hour") + " ago";
		}
		if (age.toMinutes() > 0) {
			return ", " + count(age.toMinutes(), "minute") + " ago";
		}
		return ", " + count(age.toSeconds(), "second") + " ago";
	}

	/**
	 * Return a delay in the unit it reads best in: milliseconds under a second, seconds
	 * with one decimal under ten, whole seconds above.
	 * @param delay the delay
	 * @return as in "250 ms", "2.5 s" or "300 s"
	 */
	static String duration(Duration delay) {
		long millis = delay.toMillis();
		if (millis < 1000) {
			return millis + " ms";
		}
		return (millis < 10_000) ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0) : (millis / 1000) + " s";
	}

}
