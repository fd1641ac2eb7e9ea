package io.agentkit.sync;

import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What the versions a server gives over time say about the server, warned of once each
 * in the engine's log: its version endpoint and its configuration disagreeing (two
 * places serve them), a version put back after the one that replaced it (a rollback, or
 * nodes behind one URL out of step) and a version that empties the skills or workflows
 * (more often a server that lost its data than one meant to be emptied). Remembers what
 * it warned of, so a disagreement or two alternating versions that go on are said again
 * only at {@code DEBUG}. Used by the sync thread alone; not thread-safe.
 */
final class ServerVersionWarnings {

	/**
	 * The most pairs of versions remembered as warned of going back and forth: nodes out
	 * of step are a few.
	 */
	static final int MAX_VERSION_PAIRS = 16;

	private static final Log logger = LogFactory.getLog(ConfigSync.class);

	/**
	 * The last disagreement of the version endpoint with the configuration, once warned
	 * of; {@code null} when they agreed.
	 */
	private @Nullable Disagreement disagreement;

	/**
	 * The version that the one in force replaced, when the server put it in force.
	 */
	private @Nullable String replacedVersion;

	/**
	 * The pairs of versions the server was warned of going back and forth between, the
	 * oldest first, at most {@link #MAX_VERSION_PAIRS}.
	 */
	private final Set<Set<String>> versionPairsWarnedOf = new LinkedHashSet<>();

	/**
	 * Return whether the version endpoint's answer and the configuration's version are the
	 * disagreement warned of last: it is warned of once, not at every poll it makes pull.
	 * @param polledVersion what the version endpoint says
	 * @param pulledVersion the configuration's version
	 * @return whether this disagreement was warned of already
	 */
	boolean isKnownDisagreement(String polledVersion, String pulledVersion) {
		return new Disagreement(polledVersion, pulledVersion).equals(this.disagreement);
	}

	/**
	 * Note the version a pull gave after a poll, warning the first time it disagrees with
	 * what the version endpoint said.
	 * @param polledVersion what the version endpoint said, or {@code null} for a pull
	 * that followed no poll
	 * @param pulledVersion the version of the configuration pulled
	 * @return whether the two disagree as they did at the pull before, so the outcome of
	 * this one is worth a line at {@code DEBUG} only
	 */
	boolean pulled(@Nullable String polledVersion, String pulledVersion) {
		if (polledVersion == null) {
			return false;
		}
		if (polledVersion.equals(pulledVersion)) {
			this.disagreement = null;
			return false;
		}
		if (isKnownDisagreement(polledVersion, pulledVersion)) {
			logger.debug("The version endpoint and the configuration still disagree");
			return true;
		}
		this.disagreement = new Disagreement(polledVersion, pulledVersion);
		// Two server nodes or a cache in front of one endpoint: every poll will pull again.
		logger.warn("The server's version endpoint says " + LogText.of(polledVersion) + " but its configuration is "
				+ "version " + LogText.of(pulledVersion) + "; putting " + LogText.of(pulledVersion) + " in force. The "
				+ "two endpoints are served from different places (a cache or a stale node in front of one of them); "
				+ "while they disagree, each poll pulls the whole configuration again (said once, at DEBUG after "
				+ "this)");
		return false;
	}

	/**
	 * Note a version the server put in force, warning when it is the version that the one
	 * it replaces had replaced ({@code v1}, {@code v2}, {@code v1}): a rollback, or servers
	 * behind one URL that serve different configurations, between which the application
	 * then switches at each poll. Said once for two versions, at {@code DEBUG} while they go
	 * on alternating.
	 * @param before the version it replaces, or {@code null} for none
	 * @param now the version now in force
	 */
	void replaced(@Nullable String before, String now) {
		String replaced = this.replacedVersion;
		this.replacedVersion = before;
		if (before == null || !now.equals(replaced)) {
			return;
		}
		Set<String> versions = Set.of(before, now);
		if (!this.versionPairsWarnedOf.add(versions)) {
			logger.debug("The server's configuration went back to version " + LogText.of(now) + " again");
			return;
		}
		if (this.versionPairsWarnedOf.size() > MAX_VERSION_PAIRS) {
			this.versionPairsWarnedOf.remove(this.versionPairsWarnedOf.iterator().next());
		}
		logger.warn("The server's configuration went back from version " + LogText.of(before) + " to version "
				+ LogText.of(now) + ", which " + LogText.of(before) + " had replaced. Unless " + LogText.of(before)
				+ " was rolled back, several servers answer at the server URL (nodes behind a load balancer) with "
				+ "different configurations, and the application switches between them at each poll: make them "
				+ "serve one (said once for these two versions, at DEBUG after this)");
	}

	/**
	 * Warn when a new configuration has no skills or no workflows where the one it replaces
	 * had some: a valid configuration (a missing list means an empty one), but more often a
	 * server that lost its data than one meant to be emptied.
	 * @param previous the configuration replaced, or {@code null} for none
	 * @param snapshot the configuration now in force
	 */
	static void warnIfEmptied(@Nullable ConfigSnapshot previous, ConfigSnapshot snapshot) {
		if (previous == null) {
			return;
		}
		warnIfEmptied("skills", previous.skills().size(), snapshot.skills().isEmpty(), previous, snapshot);
		warnIfEmptied("workflows", previous.workflows().size(), snapshot.workflows().isEmpty(), previous, snapshot);
	}

	private static void warnIfEmptied(String items, int before, boolean emptied, ConfigSnapshot previous,
			ConfigSnapshot snapshot) {
		if (before > 0 && emptied) {
			logger.warn("Configuration version " + LogText.of(snapshot.version()) + " has no " + items
					+ ", where version " + LogText.of(previous.version()) + " had " + before
					+ ": the application now has none. If the server was not meant to empty them, fix its "
					+ "configuration; the next version is pulled as usual");
		}
	}

	/**
	 * A version endpoint's answer and the version of the configuration pulled after it.
	 */
	private record Disagreement(String polled, String pulled) {

	}

}
