package io.agentkit.sync.sample.app;

import io.agentkit.sync.ConfigChangedEvent;
import io.agentkit.sync.ConfigChanges;
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
		String previous = (event.previousVersion() != null) ? event.previousVersion() : "(none)";
		return "Configuration " + previous + " -> " + event.version() + " from " + event.source().value()
				+ ": skills " + describe(event.skillChanges()) + "; workflows " + describe(event.workflowChanges());
	}

	private static String describe(ConfigChanges changes) {
		if (changes.isEmpty()) {
			return "unchanged";
		}
		return "added " + changes.added() + ", removed " + changes.removed() + ", changed " + changes.changed();
	}

}
