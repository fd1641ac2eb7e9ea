package io.agentkit.sync.sample.server;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the sample configuration server.
 *
 * @author AgentKit
 */
@ConfigurationProperties("agentkit.server")
public class SampleServerProperties {

	/**
	 * Folder holding the served configuration, as 'skills/*.json' and
	 * 'workflows/*.json'. Relative paths are resolved against the working directory.
	 */
	private Path configDir = Path.of("samples/config");

	/**
	 * Bearer token that every request must carry in its Authorization header. No
	 * authentication is required when not set.
	 */
	private String token;

	public Path getConfigDir() {
		return this.configDir;
	}

	public void setConfigDir(Path configDir) {
		this.configDir = configDir;
	}

	public String getToken() {
		return this.token;
	}

	public void setToken(String token) {
		this.token = token;
	}

}
