package io.agentkit.sync.autoconfigure;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A {@code ${...}} placeholder left in a property's value because nothing resolved it:
 * Spring Boot binds such a value as it is, so a token would be sent as the text
 * {@code ${AGENTKIT_TOKEN}}, a path or URL would name a place that is not meant, and a
 * duration would fail with a conversion error that does not say why.
 *
 * @param placeholder the placeholder as written, such as {@code ${AGENTKIT_TOKEN}}
 * @param name what it names, such as {@code AGENTKIT_TOKEN}
 */
record UnresolvedPlaceholder(String placeholder, String name) {

	private static final Pattern PATTERN = Pattern.compile("\\$\\{([^}]*)}");

	/**
	 * Return the first unresolved placeholder in a value.
	 * @param value the value, or {@code null}
	 * @return the placeholder, or {@code null} when there is none
	 */
	static @Nullable UnresolvedPlaceholder in(@Nullable Object value) {
		Matcher matcher = (value != null) ? PATTERN.matcher(value.toString()) : null;
		return (matcher != null && matcher.find()) ? new UnresolvedPlaceholder(matcher.group(), matcher.group(1))
				: null;
	}

	/**
	 * Say what is wrong, as said of a value: "holds the placeholder ...".
	 * @return the problem
	 */
	String problem() {
		return "holds the placeholder " + this.placeholder + ", which nothing resolved (no environment variable "
				+ "or property " + this.name + " is set)";
	}

	/**
	 * Say what to do.
	 * @param property the full name of the property that holds it
	 * @return the action
	 */
	String action(String property) {
		return "Set " + this.name + " before starting (as an environment variable or a property), or write ${"
				+ this.name + ":} in " + property + " to let it be empty when " + this.name + " is not set.";
	}

}
