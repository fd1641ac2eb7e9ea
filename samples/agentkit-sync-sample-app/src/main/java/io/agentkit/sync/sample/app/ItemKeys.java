package io.agentkit.sync.sample.app;

/**
 * Reads a skill name or a workflow id from the rest of a request path, so that keys that
 * contain a {@code /} (a name such as {@code team/summarize}) are served too:
 * {@code GET /skills/team/summarize}.
 *
 * @author AgentKit
 */
final class ItemKeys {

	private ItemKeys() {
	}

	/**
	 * Return the key a request names.
	 * @param restOfPath the rest of the path after the collection's, as a
	 * {@code {*key}} pattern captures it, with its leading {@code /}
	 * @return the key
	 */
	static String of(String restOfPath) {
		return restOfPath.startsWith("/") ? restOfPath.substring(1) : restOfPath;
	}

}
