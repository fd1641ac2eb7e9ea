package io.agentkit.sync.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Warns, at startup, of each {@code agentkit.sync.*} duration written as a number without
 * a unit: Spring Boot reads it as milliseconds, so {@code poll-interval=300}, meant as five
 * minutes, polls three times a second, and {@code timeout=30} fails every request. The
 * value is valid, so it is not refused; the warning says how it is read and how to write
 * what was meant.
 */
final class BareNumberDurationWarnings {

	private static final Log logger = LogFactory.getLog(BareNumberDurationWarnings.class);

	private static final List<String> DURATIONS = List.of("poll-interval", "timeout", "startup-timeout",
			"health.max-staleness");

	private static final Pattern BARE_NUMBER = Pattern.compile("\\s*\\+?\\d+\\s*");

	private BareNumberDurationWarnings() {
	}

	/**
	 * Log a warning for each duration written as a bare number.
	 * @param environment the environment
	 */
	static void log(Environment environment) {
		for (String warning : of(environment)) {
			logger.warn(warning);
		}
	}

	/**
	 * Return a warning for each duration written as a bare number, in the order of
	 * {@link #DURATIONS}.
	 * @param environment the environment
	 * @return the warnings, empty when every duration has its unit
	 */
	static List<String> of(Environment environment) {
		Binder binder = Binder.get(environment);
		List<String> warnings = new ArrayList<>();
		for (String name : DURATIONS) {
			String property = AgentKitSyncProperties.PREFIX + name;
			String value = binder.bind(property, Bindable.of(String.class)).orElse(null);
			if (value != null && BARE_NUMBER.matcher(value).matches()) {
				warnings.add(warning(property, value.strip()));
			}
		}
		return warnings;
	}

	private static String warning(String property, String value) {
		return property + "=" + value + " is read as " + value + " milliseconds: Spring Boot reads a duration "
				+ "without a unit in milliseconds. Write " + value + "ms to keep it (and this warning away), or "
				+ value + "s, " + value + "m or " + value + "h if that is what was meant";
	}

}
