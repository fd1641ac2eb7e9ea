package io.agentkit.sync.autoconfigure;

import java.time.Clock;

import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.health.ConfigSyncHealthIndicator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the {@code agentkitSync} health contributor, when Actuator's
 * health support is on the classpath.
 */
@AutoConfiguration(after = AgentKitSyncAutoConfiguration.class)
@ConditionalOnClass({ AbstractHealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(ConfigSync.class)
public final class AgentKitSyncHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "agentkitSyncHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("agentkitsync")
	ConfigSyncHealthIndicator agentkitSyncHealthIndicator(ConfigSync configSync, AgentKitSyncProperties properties) {
		return new ConfigSyncHealthIndicator(configSync, properties.getHealth().getMaxStaleness(),
				new Status(properties.getHealth().staleStatus()), Clock.systemUTC());
	}

}
