package io.agentkit.sync.sample.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Entry point of the AgentKit sample configuration server.
 *
 * @author AgentKit
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleServerProperties.class)
public class SampleServerApplication {

	@Bean
	ConfigSnapshotHolder configSnapshotHolder(SampleServerProperties properties) {
		return new ConfigSnapshotHolder(new ConfigFolder(properties.getConfigDir()));
	}

	@Bean
	BearerTokenFilter bearerTokenFilter(SampleServerProperties properties) {
		return new BearerTokenFilter(properties.getToken());
	}

	public static void main(String[] args) {
		SpringApplication.run(SampleServerApplication.class, args);
	}

}
