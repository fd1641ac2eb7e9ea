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
 * Warns, at startup, of each {@code agentkit.sync.*} duration or size written as a number
 * without a unit: Spring Boot reads a duration in milliseconds and a size in bytes, so
 * {@code poll-interval=300}, meant as five minutes, polls three times a second,
 * {@code timeout=30} fails every request, and {@code max-payload-size=64} refuses every
 * configuration. The value is valid, so it is not refused; the warning says how it is
 * read and how to write what was meant.
 */
final class UnitlessValueWarnings {

	private static final Log logger = LogFactory.getLog(UnitlessValueWarnings.class);

	/**
	 * The properties that take a unit, in the order their warnings come.
	 */
	private static final List<UnitProperty> PROPERTIES = List.of(new UnitProperty("poll-interval", Unit.DURATION),
			new UnitProperty("timeout", Unit.DURATION), new UnitProperty("startup-timeout", Unit.DURATION),
			new UnitProperty("health.max-staleness", Unit.DURATION), new UnitProperty("max-payload-size", Unit.SIZE));

	private static final Pattern BARE_NUMBER = Pattern.compile("\\s*\\+?\\d+\\s*");

	private UnitlessValueWarnings() {
	}

	/**
	 * Log a warning for each value written as a bare number.
	 * @param environment the environment
	 */
	static void log(Environment environment) {
		for (String warning : of(environment)) {
			logger.warn(warning);
		}
	}

	/**
	 * Return a warning for each duration or size written as a bare number.
	 * @param environment the environment
	 * @return the warnings, empty when every such value has its unit
	 */
	static List<String> of(Environment environment) {
		Binder binder = Binder.get(environment);
		List<String> warnings = new ArrayList<>();
		for (UnitProperty property : PROPERTIES) {
			String name = AgentKitSyncProperties.PREFIX + property.name();
			String value = binder.bind(name, Bindable.of(String.class)).orElse(null);
			if (value != null && BARE_NUMBER.matcher(value).matches()) {
				warnings.add(property.unit().warning(name, value.strip()));
			}
		}
		return warnings;
	}

	/**
	 * A property that takes a unit.
	 *
	 * @param name its name after {@code agentkit.sync.}
	 * @param unit the kind of value it takes
	 */
	private record UnitProperty(String name, Unit unit) {

	}

	/**
	 * The kind of value a property takes: the unit a bare number is read in, and the
	 * units that may have been meant.
	 */
	private enum Unit {

		DURATION("milliseconds", "a duration", "ms", "s", "m", "h"),

		SIZE("bytes", "a size", "B", "KB", "MB", "GB");

		private final String readAs;

		private final String kind;

		private final String bare;

		private final List<String> meant;

		Unit(String readAs, String kind, String bare, String... meant) {
			this.readAs = readAs;
			this.kind = kind;
			this.bare = bare;
			this.meant = List.of(meant);
		}

		String warning(String property, String value) {
			String others = String.join(", ",
					this.meant.subList(0, this.meant.size() - 1).stream().map((unit) -> value + unit).toList())
					+ " or " + value + this.meant.get(this.meant.size() - 1);
			return property + "=" + value + " is read as " + value + " " + this.readAs + ": Spring Boot reads "
					+ this.kind + " without a unit in " + this.readAs + ". Write " + value + this.bare
					+ " to keep it (and this warning away), or " + others + " if that is what was meant";
		}

	}

}
