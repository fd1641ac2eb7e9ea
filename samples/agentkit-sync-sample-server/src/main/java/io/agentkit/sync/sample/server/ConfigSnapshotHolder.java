package io.agentkit.sync.sample.server;

import java.time.Instant;
import java.util.List;

import io.agentkit.sync.sample.server.ConfigFolder.Content;
import io.agentkit.sync.sample.server.ConfigFolder.FileStamp;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Holds the {@link ConfigFolderSnapshot} being served and replaces it when a cheap scan
 * shows that the folder changed.
 *
 * @author AgentKit
 */
public class ConfigSnapshotHolder {

	private static final Log logger = LogFactory.getLog(ConfigSnapshotHolder.class);

	private final ConfigFolder folder;

	private final Object reloadLock = new Object();

	private volatile ConfigFolderSnapshot snapshot;

	/**
	 * Create a new instance, loading the folder.
	 * @param folder the configuration folder
	 */
	public ConfigSnapshotHolder(ConfigFolder folder) {
		this.folder = folder;
		if (!folder.exists()) {
			logger.warn("Configuration folder " + folder.getRoot() + " does not exist, serving an empty configuration");
		}
		List<FileStamp> stamps = folder.scan();
		this.snapshot = ConfigFolderSnapshot.of(stamps, folder.load(), Instant.now());
		logger.info("Serving configuration from " + folder.getRoot() + ": " + describe(this.snapshot));
	}

	/**
	 * Return the current snapshot, reloading the folder first if its files changed since
	 * the last scan.
	 * @return the current snapshot
	 */
	public ConfigFolderSnapshot get() {
		ConfigFolderSnapshot current = this.snapshot;
		List<FileStamp> stamps = this.folder.scan();
		if (stamps.equals(current.stamps())) {
			return current;
		}
		synchronized (this.reloadLock) {
			current = this.snapshot;
			if (stamps.equals(current.stamps())) {
				return current;
			}
			Content content = this.folder.load();
			if (content.version().equals(current.version())) {
				current = current.withStamps(stamps);
			}
			else {
				current = ConfigFolderSnapshot.of(stamps, content, Instant.now());
				logger.info("Loaded new configuration: " + describe(current));
			}
			this.snapshot = current;
			return current;
		}
	}

	private String describe(ConfigFolderSnapshot snapshot) {
		return snapshot.skillCount() + " skills, " + snapshot.workflowCount() + " workflows, version "
				+ snapshot.version();
	}

}
