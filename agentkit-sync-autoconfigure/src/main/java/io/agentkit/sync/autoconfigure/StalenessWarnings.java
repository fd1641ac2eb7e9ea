package io.agentkit.sync.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.agentkit.sync.PollSchedule;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Warns, at startup, when {@code health.max-staleness} is not longer than the time between
 * two version checks: {@code poll-interval}, which {@link PollSchedule} lengthens by up to
 * {@code jitter} of it. A configuration that every check keeps fresh then turns stale
 * before the next check, and health flaps to {@code health.stale-status} ({@code DOWN},
 * say) and back at every cycle. The values are valid, so they are not refused; the
 * warning names both properties, their values and what to set.
 */
final class StalenessWarnings {

	private static final Log logger = LogFactory.getLog(StalenessWarnings.class);

	/**
	 * How many poll intervals the suggested staleness spans: one failed check does not turn
	 * the configuration stale either (the defaults, 5m and 15m, are three).
	 */
	private static final int SUGGESTED_POLLS = 3;

	private StalenessWarnings() {
	}

	/**
	 * Log the warning, if any.
	 * @param properties the properties, validated
	 * @param environment the environment, which tells a value set from a default
	 */
	static void log(AgentKitSyncProperties properties, Environment environment) {
		for (String warning : of(properties, environment)) {
			logger.warn(warning);
		}
	}

	/**
	 * Return the warning when the staleness is not longer than the longest time between
	 * two checks.
	 * @param properties the properties, validated
	 * @param environment the environment, which tells a value set from a default
	 * @return the warning, or none
	 */
	static List<String> of(AgentKitSyncProperties properties, Environment environment) {
		Duration pollInterval = properties.getPollInterval();
		Duration maxStaleness = properties.getHealth().getMaxStaleness();
		double jitter = properties.getJitter();
		// As PollSchedule draws the longest delay: the interval in milliseconds, times 1 + jitter.
		Duration longest = Duration.ofMillis((long) Math.ceil(pollInterval.toMillis() * (1 + jitter)));
		if (maxStaleness.compareTo(longest) > 0) {
			return List.of();
		}
		Binder binder = Binder.get(environment);
		String checks = (jitter > 0)
				? value(binder, "poll-interval", DurationText.of(pollInterval)) + ", lengthened at random by up to "
						+ value(binder, "jitter", String.valueOf(jitter)) + " of it, waits up to " + DurationText.of(longest)
				: value(binder, "poll-interval", DurationText.of(pollInterval)) + " waits " + DurationText.of(longest);
		return List.of(value(binder, "health.max-staleness", DurationText.of(maxStaleness))
				+ " is not longer than the time between two version checks: " + checks
				+ ". The configuration turns stale before each next check even when every check succeeds, so health "
				+ "reports " + properties.getHealth().staleStatus() + " (" + AgentKitSyncProperties.PREFIX
				+ "health.stale-status) for part of every cycle. Set " + AgentKitSyncProperties.PREFIX
				+ "health.max-staleness longer than " + DurationText.of(longest) + ", such as "
				+ DurationText.of(pollInterval.multipliedBy(SUGGESTED_POLLS)) + " (" + SUGGESTED_POLLS
				+ " poll intervals, so that one failed check does not turn it stale either), or "
				+ AgentKitSyncProperties.PREFIX + "poll-interval shorter");
	}

	/**
	 * Return a property with its value, and whether that is its default.
	 */
	private static String value(Binder binder, String property, String value) {
		String name = AgentKitSyncProperties.PREFIX + property;
		return name + "=" + value + (binder.bind(name, Bindable.of(String.class)).isBound() ? "" : " (the default)");
	}

}
