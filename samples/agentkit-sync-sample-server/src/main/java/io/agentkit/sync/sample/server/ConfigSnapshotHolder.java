package io.agentkit.sync.sample.server;

import java.time.Instant;
import java.util.List;

import io.agentkit.sync.sample.server.ConfigFolder.Content;
import io.agentkit.sync.sample.server.ConfigFolder.FileStamp;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Holds the {@link ConfigFolderSnapshot} being served and replaces it when a cheap scan
 * shows that the folder changed. Only a folder whose every file is valid is served: while
 * a file is invalid (half written, a typo), the last valid configuration stays served, so
 * clients do not drop the skill or workflow of that file; when the folder has never been
 * valid, there is nothing to serve and {@link #get()} throws
 * {@link InvalidConfigFolderException}.
 *
 * @author AgentKit
 */
public class ConfigSnapshotHolder {

	private static final Log logger = LogFactory.getLog(ConfigSnapshotHolder.class);

	private final ConfigFolder folder;

	private final Object reloadLock = new Object();

	private volatile Loaded loaded;

	/**
	 * Create a new instance, loading the folder.
	 * @param folder the configuration folder
	 */
	public ConfigSnapshotHolder(ConfigFolder folder) {
		this.folder = folder;
		if (!folder.exists()) {
			logger.warn("Configuration folder " + folder.getRoot() + " does not exist, serving an empty configuration");
		}
		this.loaded = load(folder.scan(), null);
		ConfigFolderSnapshot snapshot = this.loaded.snapshot();
		if (snapshot != null) {
			logger.info("Serving configuration from " + folder.getRoot() + ": " + describe(snapshot));
		}
	}

	/**
	 * Return the snapshot being served, reloading the folder first if its files changed
	 * since the last scan.
	 * @return the snapshot being served
	 * @throws InvalidConfigFolderException when the folder has not been valid since the
	 * server started
	 */
	public ConfigFolderSnapshot get() {
		Loaded current = this.loaded;
		List<FileStamp> stamps = this.folder.scan();
		if (!stamps.equals(current.stamps())) {
			synchronized (this.reloadLock) {
				current = this.loaded;
				if (!stamps.equals(current.stamps())) {
					current = load(stamps, current.snapshot());
					this.loaded = current;
				}
			}
		}
		ConfigFolderSnapshot snapshot = current.snapshot();
		if (snapshot == null) {
			throw new InvalidConfigFolderException(this.folder.getRoot(), current.problems());
		}
		return snapshot;
	}

	private Loaded load(List<FileStamp> stamps, @Nullable ConfigFolderSnapshot served) {
		Content content = this.folder.load();
		if (!content.isValid()) {
			logger.warn(((served != null) ? "Keeping version " + served.version() + " served"
					: "Serving no configuration (HTTP 503)") + ": " + InvalidConfigFolderException.describe(content.problems())
					+ ". Fix the files; the folder is served again once every file is valid.");
			return new Loaded(stamps, served, content.problems());
		}
		if (served != null && content.version().equals(served.version())) {
			return new Loaded(stamps, served, List.of());
		}
		ConfigFolderSnapshot snapshot = ConfigFolderSnapshot.of(content, Instant.now());
		if (served != null) {
			logger.info("Loaded new configuration: " + describe(snapshot));
		}
		return new Loaded(stamps, snapshot, List.of());
	}

	private String describe(ConfigFolderSnapshot snapshot) {
		return count(snapshot.skillCount(), "skill") + ", " + count(snapshot.workflowCount(), "workflow")
				+ ", version " + snapshot.version();
	}

	private static String count(int amount, String noun) {
		return amount + " " + noun + ((amount == 1) ? "" : "s");
	}

	/**
	 * The folder as last scanned: the snapshot served and the problems of the files.
	 */
	private record Loaded(List<FileStamp> stamps, @Nullable ConfigFolderSnapshot snapshot, List<String> problems) {

	}

}
