package io.agentkit.sync.autoconfigure;

import java.time.Clock;

import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.endpoint.ConfigSyncArgumentsAdvisor;
import io.agentkit.sync.endpoint.ConfigSyncEndpoint;

import org.springframework.beans.factory.ObjectProvider;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration for the {@code agentkitsync} Actuator endpoint. Exposure follows
 * Boot's rules: it is reachable over HTTP only once the application exposes it. Exposed
 * over HTTP, a filter lets a {@code POST} without a body or a content type
 * ({@code curl -X POST}) run a cycle instead of being refused with {@code 415}, and an
 * advisor refuses a {@code POST} with arguments the endpoint does not take
 * ({@code {"forced": true}}) instead of running a cycle that ignores them.
 */
@AutoConfiguration(after = AgentKitSyncAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(ConfigSync.class)
@Import(EmptyPostFilterConfigurations.class)
public final class AgentKitSyncEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	ConfigSyncEndpoint configSyncEndpoint(ConfigSync configSync, AgentKitSyncProperties properties) {
		return new ConfigSyncEndpoint(configSync, properties.getHealth().getMaxStaleness(), Clock.systemUTC(),
				ConfigSyncEndpoint.longestCycle(properties.getTimeout()));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(endpoint = ConfigSyncEndpoint.class)
	ConfigSyncArgumentsAdvisor configSyncArgumentsAdvisor(ObjectProvider<ConfigSync> configSync) {
		return new ConfigSyncArgumentsAdvisor(() -> configSync.getObject().getVersion());
	}

}
