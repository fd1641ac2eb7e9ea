package io.agentkit.sync.hardening;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Helpers for the main classes that run in child JVMs.
 */
final class ChildSupport {

	private ChildSupport() {
	}

	/**
	 * Keep the child's output to warnings, so its protocol lines stand out.
	 */
	static void quietLogging() {
		((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
	}

	/**
	 * Print one protocol line and flush it at once: the parent may kill the child right
	 * after reading it.
	 */
	static void report(String line) {
		System.out.println(ChildJvm.PREFIX + line);
		System.out.flush();
	}

}
