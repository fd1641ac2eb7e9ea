package io.agentkit.sync.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Warns, at startup, of each {@code agentkit.sync.*} property that binds to nothing: a
 * misspelt name, or one that another version of the starter knows. Spring Boot ignores
 * such a property without a word, so the setting it was meant for would keep its default
 * unnoticed. Each warning names the property, where it was set, and the property it most
 * likely meant; never its value, which may be a token. Uses Spring Boot's own check of
 * unbound properties ({@link NoUnboundElementsBindHandler}), so every form of a name (a
 * properties file, YAML, an environment variable) is judged as binding judges it.
 */
final class UnknownPropertyWarnings {

	private static final Log logger = LogFactory.getLog(UnknownPropertyWarnings.class);

	private static final String PREFIX = AgentKitSyncProperties.PREFIX;

	private UnknownPropertyWarnings() {
	}

	/**
	 * Log a warning for each unknown {@code agentkit.sync.*} property.
	 * @param environment the environment
	 */
	static void log(Environment environment) {
		for (String warning : of(environment)) {
			logger.warn(warning);
		}
	}

	/**
	 * Return a warning for each unknown {@code agentkit.sync.*} property, in name order.
	 * @param environment the environment
	 * @return the warnings, empty when every property is known
	 */
	static List<String> of(Environment environment) {
		Set<ConfigurationProperty> unknown;
		try {
			Binder.get(environment)
				.bind(PREFIX.substring(0, PREFIX.length() - 1), Bindable.of(AgentKitSyncProperties.class),
						new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
			return List.of();
		}
		catch (BindException ex) {
			if (!(ex.getCause() instanceof UnboundConfigurationPropertiesException unbound)) {
				// A value that cannot be bound fails the startup with its own message.
				return List.of();
			}
			unknown = unbound.getUnboundProperties();
		}
		List<String> knownNames = knownNames();
		List<String> warnings = new ArrayList<>();
		unknown.stream()
			.filter((property) -> !bindsToAKnownName(property, knownNames))
			.sorted(Comparator.comparing(ConfigurationProperty::getName))
			.forEach((property) -> warnings.add(warning(property, knownNames)));
		return warnings;
	}

	/**
	 * Return whether a property the check calls unbound is found under a known name after
	 * all: an environment variable such as {@code AGENTKIT_SYNC_POLL_INTERVAL} binds to
	 * {@code poll-interval} through the environment's second mapping, which the check
	 * does not look at.
	 */
	private static boolean bindsToAKnownName(ConfigurationProperty property, List<String> knownNames) {
		for (String known : knownNames) {
			ConfigurationProperty found = property.getSource()
				.getConfigurationProperty(ConfigurationPropertyName.of(PREFIX + known));
			if (found != null && String.valueOf(found.getOrigin()).equals(String.valueOf(property.getOrigin()))) {
				return true;
			}
		}
		return false;
	}

	private static String warning(ConfigurationProperty property, List<String> knownNames) {
		String name = property.getName().toString();
		String meant = closest(name.substring(PREFIX.length()), knownNames);
		return "Ignoring " + name + ((property.getOrigin() != null) ? " (from " + property.getOrigin() + ")" : "")
				+ ": agentkit-sync has no such property"
				+ ((meant != null) ? "; did you mean " + spelling(PREFIX + meant, property) + "?" : ".")
				+ " The setting it was meant for keeps its default; the README lists every agentkit.sync property.";
	}

	/**
	 * Return a property's name as the given property would be written: an environment
	 * variable in the form Spring Boot documents (dots to underscores, no dashes, upper
	 * case), followed by the name itself.
	 */
	private static String spelling(String name, ConfigurationProperty like) {
		if (like.getSource().getUnderlyingSource() instanceof SystemEnvironmentPropertySource) {
			return name.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT) + " (" + name + ")";
		}
		return name;
	}

	/**
	 * Return the known name closest to the given one, when it is close enough to be a
	 * misspelling of it; names are compared without their dashes and dots, as binding
	 * compares an environment variable's.
	 */
	private static @Nullable String closest(String name, List<String> knownNames) {
		String letters = lettersOf(name);
		String closest = null;
		int closestDistance = Math.max(2, letters.length() / 3) + 1;
		for (String known : knownNames) {
			int distance = distance(letters, lettersOf(known));
			if (distance < closestDistance) {
				closest = known;
				closestDistance = distance;
			}
		}
		return closest;
	}

	private static String lettersOf(String name) {
		return name.replace("-", "").replace(".", "").toLowerCase(Locale.ROOT);
	}

	/**
	 * Return the edit distance (Levenshtein) between two names.
	 */
	private static int distance(String first, String second) {
		int[] previous = new int[second.length() + 1];
		int[] current = new int[second.length() + 1];
		for (int j = 0; j <= second.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= first.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= second.length(); j++) {
				int substitution = previous[j - 1] + ((first.charAt(i - 1) == second.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[second.length()];
	}

	/**
	 * Return the names of the properties, below {@code agentkit.sync.}, in their dashed
	 * form: those of {@link AgentKitSyncProperties} and of its nested groups.
	 */
	static List<String> knownNames() {
		return new ArrayList<>(knownProperties().keySet());
	}

	/**
	 * Return the properties, below {@code agentkit.sync.}, by their name in its dashed
	 * form, in name order, with the type each takes.
	 * @return the type of each property by its name
	 */
	static Map<String, Class<?>> knownProperties() {
		Map<String, Class<?>> properties = new LinkedHashMap<>();
		addProperties(AgentKitSyncProperties.class, "", properties);
		return properties;
	}

	private static void addProperties(Class<?> type, String prefix, Map<String, Class<?>> properties) {
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			if (property.getReadMethod() == null || property.getName().equals("class")) {
				continue;
			}
			String name = prefix + DataObjectPropertyName.toDashedForm(property.getName());
			Class<?> propertyType = property.getPropertyType();
			if (propertyType.getEnclosingClass() == AgentKitSyncProperties.class && !propertyType.isEnum()) {
				addProperties(propertyType, name + ".", properties);
			}
			else if (property.getWriteMethod() != null) {
				properties.put(name, propertyType);
			}
		}
	}

}
