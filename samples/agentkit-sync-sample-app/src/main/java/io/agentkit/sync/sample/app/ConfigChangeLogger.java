package io.agentkit.sync.sample.app;

import java.util.Set;
import java.util.StringJoiner;

import io.agentkit.sync.ConfigChangedEvent;
import io.agentkit.sync.ConfigChanges;
import io.agentkit.sync.LogText;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs each configuration that comes into force, with the skills and workflows it added,
 * removed and changed: the hook where an application would rebuild what depends on its
 * configuration.
 *
 * @author AgentKit
 */
@Component
public class ConfigChangeLogger {

	private static final Log logger = LogFactory.getLog(ConfigChangeLogger.class);

	/**
	 * The most names of each list that are logged, so that a configuration of thousands
	 * of skills gives a line of readable length.
	 */
	static final int MAX_NAMES = 10;

	/**
	 * Log the given change.
	 * @param event the change
	 */
	@EventListener
	public void onConfigChanged(ConfigChangedEvent event) {
		logger.info(describe(event));
	}

	/**
	 * Describe a change in one line, for example {@code Configuration v1 -> v2 from
	 * server: skills added [], removed [], changed [summarize]; workflows unchanged}.
	 * @param event the change
	 * @return the description
	 */
	static String describe(ConfigChangedEvent event) {
		String previous = (event.previousVersion() != null) ? LogText.of(event.previousVersion()) : "(none)";
		return "Configuration " + previous + " -> " + LogText.of(event.version()) + " from " + event.source().value()
				+ ": skills " + describe(event.skillChanges()) + "; workflows " + describe(event.workflowChanges());
	}

	private static String describe(ConfigChanges changes) {
		if (changes.isEmpty()) {
			return "unchanged";
		}
		return "added " + names(changes.added()) + ", removed " + names(changes.removed()) + ", changed "
				+ names(changes.changed());
	}

	/**
	 * List at most {@link #MAX_NAMES} names, each made safe for a log line, and how many
	 * more there are.
	 */
	private static String names(Set<String> names) {
		StringJoiner list = new StringJoiner(", ", "[", "]");
		names.stream().limit(MAX_NAMES).map(LogText::of).forEach(list::add);
		if (names.size() > MAX_NAMES) {
			list.add("and " + (names.size() - MAX_NAMES) + " more");
		}
		return list.toString();
	}

}
