package io.agentkit.sync.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

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
	 * Return a warning for each duration or size written as a bare number, in name order.
	 * @param environment the environment
	 * @return the warnings, empty when every such value has its unit
	 */
	static List<String> of(Environment environment) {
		Binder binder = Binder.get(environment);
		List<String> warnings = new ArrayList<>();
		for (Map.Entry<String, Class<?>> known : UnknownPropertyWarnings.knownProperties().entrySet()) {
			Unit unit = Unit.of(known.getValue());
			if (unit == null) {
				continue;
			}
			String property = AgentKitSyncProperties.PREFIX + known.getKey();
			String value = binder.bind(property, Bindable.of(String.class)).orElse(null);
			if (value != null && BARE_NUMBER.matcher(value).matches()) {
				warnings.add(unit.warning(property, value.strip()));
			}
		}
		return warnings;
	}

	/**
	 * The kind of value a property takes a unit for: the type it binds to, the unit a bare
	 * number is read in, and the units that may have been meant.
	 */
	private enum Unit {

		DURATION(Duration.class, "a duration", "milliseconds", "%1$sms", "%1$ss, %1$sm or %1$sh"),

		SIZE(DataSize.class, "a size", "bytes", "%1$sB", "%1$sKB, %1$sMB or %1$sGB");

		private final Class<?> type;

		private final String kind;

		private final String readAs;

		private final String kept;

		private final String meant;

		Unit(Class<?> type, String kind, String readAs, String kept, String meant) {
			this.type = type;
			this.kind = kind;
			this.readAs = readAs;
			this.kept = kept;
			this.meant = meant;
		}

		static @Nullable Unit of(Class<?> type) {
			for (Unit unit : values()) {
				if (unit.type == type) {
					return unit;
				}
			}
			return null;
		}

		String warning(String property, String value) {
			return property + "=" + value + " is read as " + value + " " + this.readAs + ": Spring Boot reads "
					+ this.kind + " without a unit in " + this.readAs + ". Write " + String.format(this.kept, value)
					+ " to keep it (and this warning away), or " + String.format(this.meant, value)
					+ " if that is what was meant";
		}

	}

}
