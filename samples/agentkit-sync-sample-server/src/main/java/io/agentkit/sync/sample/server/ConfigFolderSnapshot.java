package io.agentkit.sync.sample.server;

import java.time.Instant;
import java.util.List;

import io.agentkit.sync.sample.server.ConfigFolder.Content;
import io.agentkit.sync.sample.server.ConfigFolder.FileStamp;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The configuration being served: the folder scan it was loaded from, its version and
 * its response bodies, serialized once. The body arrays are shared and must not be
 * modified.
 *
 * @param stamps the folder scan the content was loaded from
 * @param version the content hash
 * @param syncedAt when the served content last changed
 * @param skillCount the number of served skills
 * @param workflowCount the number of served workflows
 * @param versionBody the JSON body of {@code /api/v1/config/version}
 * @param allBody the JSON body of {@code /api/v1/config/all}
 * @author AgentKit
 */
public record ConfigFolderSnapshot(List<FileStamp> stamps, String version, Instant syncedAt, int skillCount,
		int workflowCount, byte[] versionBody, byte[] allBody) {

	/**
	 * Create a snapshot of the given content, serializing its response bodies.
	 * @param stamps the folder scan the content was loaded from
	 * @param content the loaded content
	 * @param syncedAt when the served content changed
	 * @return the snapshot
	 */
	public static ConfigFolderSnapshot of(List<FileStamp> stamps, Content content, Instant syncedAt) {
		JsonMapper jsonMapper = JsonMapper.shared();
		ObjectNode version = jsonMapper.createObjectNode();
		version.put("version", content.version());
		ObjectNode all = jsonMapper.createObjectNode();
		all.put("version", content.version());
		all.putArray("skills").addAll(content.skills());
		all.putArray("workflows").addAll(content.workflows());
		all.put("synced_at", syncedAt.toString());
		return new ConfigFolderSnapshot(List.copyOf(stamps), content.version(), syncedAt, content.skills().size(),
				content.workflows().size(), jsonMapper.writeValueAsBytes(version), jsonMapper.writeValueAsBytes(all));
	}

	/**
	 * Return a copy of this snapshot for a new folder scan of the same content.
	 * @param stamps the new folder scan
	 * @return the snapshot
	 */
	public ConfigFolderSnapshot withStamps(List<FileStamp> stamps) {
		return new ConfigFolderSnapshot(List.copyOf(stamps), this.version, this.syncedAt, this.skillCount,
				this.workflowCount, this.versionBody, this.allBody);
	}

}
