package io.agentkit.sync.sample.server;

import java.time.Instant;

import io.agentkit.sync.sample.server.ConfigFolder.Content;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The configuration being served: its version and its response bodies, serialized once. The body arrays are shared and must not be
 * modified.
 *
 * @param version the content hash
 * @param syncedAt when the served content last changed
 * @param skillCount the number of served skills
 * @param workflowCount the number of served workflows
 * @param versionBody the JSON body of {@code /api/v1/config/version}
 * @param allBody the JSON body of {@code /api/v1/config/all}
 * @author AgentKit
 */
public record ConfigFolderSnapshot(String version, Instant syncedAt, int skillCount, int workflowCount,
		byte[] versionBody, byte[] allBody) {

	/**
	 * Create a snapshot of the given content, serializing its response bodies.
	 * @param content the loaded content
	 * @param syncedAt when the served content changed
	 * @return the snapshot
	 */
	public static ConfigFolderSnapshot of(Content content, Instant syncedAt) {
		JsonMapper jsonMapper = JsonMapper.shared();
		ObjectNode version = jsonMapper.createObjectNode();
		version.put("version", content.version());
		ObjectNode all = jsonMapper.createObjectNode();
		all.put("version", content.version());
		all.putArray("skills").addAll(content.skills());
		all.putArray("workflows").addAll(content.workflows());
		all.put("synced_at", syncedAt.toString());
		return new ConfigFolderSnapshot(content.version(), syncedAt, content.skills().size(),
				content.workflows().size(), jsonMapper.writeValueAsBytes(version), jsonMapper.writeValueAsBytes(all));
	}

}
