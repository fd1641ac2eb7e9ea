package io.agentkit.sync.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;

/**
 * Explains an {@code agentkit.sync.*} value that cannot be converted to its type (a
 * duration, a size, a number, a mode): names the property and its value, and says which
 * form to use, and points out a placeholder nothing resolved, a comment after the value
 * or spaces around it. Runs before Spring Boot's general analyzer, whose action ("update
 * your application's configuration") does not say what to write.
 */
class AgentKitSyncBindFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

	/**
	 * A value followed by what looks like a comment: spaces, then {@code #} or {@code !}.
	 */
	private static final Pattern TRAILING_COMMENT = Pattern.compile("\\s*(\\S.*?)\\s+[#!].*");

	private static final Map<String, String> EXAMPLES = Map.of("poll-interval", "5m", "timeout", "30s",
			"startup-timeout", "10s", "health.max-staleness", "15m", "max-payload-size", "64MB", "jitter", "0.1");

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		String name = cause.getName().toString();
		if (!name.startsWith(AgentKitSyncProperties.PREFIX)) {
			return null;
		}
		ConfigurationProperty property = cause.getProperty();
		Object value = (property != null) ? property.getValue() : null;
		StringBuilder description = new StringBuilder("The AgentKit sync property '").append(name)
			.append("' could not be read: ")
			.append(reason(cause))
			.append(".\n\n    Property: ")
			.append(name)
			.append("\n    Value: ")
			.append((value != null) ? "'" + value + "'" : "(not set)");
		if (property != null && property.getOrigin() != null) {
			description.append("\n    Origin: ").append(property.getOrigin());
		}
		return new FailureAnalysis(description.toString(),
				layoutHint(value, (property != null) ? property.getOrigin() : null)
						+ action(name, cause.getTarget().getType().resolve()),
				cause);
	}

	/**
	 * Say so when what the value holds besides a value may be what makes it unreadable: a
	 * placeholder nothing resolved, a comment after it, or spaces around it. A properties file reads everything after the
	 * {@code =} to the end of the line, and has comments only on lines of their own.
	 */
	private static String layoutHint(@Nullable Object value, @Nullable Origin origin) {
		if (!(value instanceof String text) || text.isBlank()) {
			return "";
		}
		UnresolvedPlaceholder placeholder = UnresolvedPlaceholder.in(text);
		if (placeholder != null) {
			return "The value " + placeholder.problem() + ": set " + placeholder.name()
					+ " before starting, or give the placeholder a default (${" + placeholder.name() + ":...}). ";
		}
		boolean propertiesFile = String.valueOf(origin).contains(".properties");
		Matcher comment = TRAILING_COMMENT.matcher(text);
		if (comment.matches()) {
			return "Remove the comment after the value ('" + comment.group(1) + "' without it): "
					+ (propertiesFile ? "a .properties file reads the rest of the line as the value and has "
							+ "comments only on lines of their own. " : "the value is taken whole, comment included. ");
		}
		if (!text.equals(text.strip())) {
			return "Remove the spaces around the value ('" + text.strip() + "' without them"
					+ (propertiesFile ? "; a .properties file keeps spaces at the end of a line). " : "). ");
		}
		return "";
	}

	private static String action(String name, @Nullable Class<?> type) {
		String example = EXAMPLES.get(name.substring(AgentKitSyncProperties.PREFIX.length()));
		if (type == Duration.class) {
			return "Set " + name + " to a duration such as " + ((example != null) ? example : "30s")
					+ " (forms: 500ms, 30s, 5m, 1h or ISO-8601 such as PT5M).";
		}
		if (type == DataSize.class) {
			return "Set " + name + " to a size such as " + ((example != null) ? example : "64MB")
					+ " (units B, KB, MB, GB).";
		}
		if (type != null && type.isEnum()) {
			String values = Arrays.stream(type.getEnumConstants())
				.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
				.collect(Collectors.joining(" or "));
			return "Set " + name + " to " + values + ".";
		}
		if (type == boolean.class || type == Boolean.class) {
			return "Set " + name + " to true or false.";
		}
		if (type == double.class || type == Double.class) {
			return "Set " + name + " to a number such as " + ((example != null) ? example : "1") + ".";
		}
		return "Set " + name + " to a valid value; the README lists every agentkit.sync property with an example.";
	}

	private static String reason(BindException cause) {
		Throwable root = cause;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		if (root instanceof ArithmeticException) {
			// 9999999TB, say: more bytes, or a longer time, than a long counts.
			return "it is too large to count (" + root.getMessage() + ")";
		}
		String message = root.getMessage();
		return (message != null && !message.isBlank()) ? message.strip() : root.getClass().getSimpleName();
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
