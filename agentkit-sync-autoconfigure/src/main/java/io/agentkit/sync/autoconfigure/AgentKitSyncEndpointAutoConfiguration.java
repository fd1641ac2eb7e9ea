package io.agentkit.sync.autoconfigure;

import java.time.Clock;

import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.endpoint.ConfigSyncEndpoint;
import io.agentkit.sync.endpoint.EmptyPostContentTypeFilter;
import io.agentkit.sync.endpoint.EmptyPostContentTypeWebFilter;
import jakarta.servlet.Filter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.WebFilter;

/**
 * Auto-configuration for the {@code agentkitsync} Actuator endpoint. Exposure follows
 * Boot's rules: it is reachable over HTTP only once the application exposes it. Exposed
 * over HTTP, a filter lets a {@code POST} without a body or a content type
 * ({@code curl -X POST}) run a cycle instead of being refused with {@code 415}.
 */
@AutoConfiguration(after = AgentKitSyncAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(ConfigSync.class)
public final class AgentKitSyncEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	ConfigSyncEndpoint configSyncEndpoint(ConfigSync configSync, AgentKitSyncProperties properties) {
		return new ConfigSyncEndpoint(configSync, properties.getHealth().getMaxStaleness(), Clock.systemUTC(),
				ConfigSyncEndpoint.longestCycle(properties.getTimeout()));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(Filter.class)
	static class ServletEmptyPostConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint(endpoint = ConfigSyncEndpoint.class, exposure = EndpointExposure.WEB)
		EmptyPostContentTypeFilter configSyncEmptyPostContentTypeFilter(
				ObjectProvider<PathMappedEndpoints> pathMappedEndpoints) {
			return new EmptyPostContentTypeFilter(pathMappedEndpoints::getIfAvailable);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(WebFilter.class)
	static class ReactiveEmptyPostConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint(endpoint = ConfigSyncEndpoint.class, exposure = EndpointExposure.WEB)
		EmptyPostContentTypeWebFilter configSyncEmptyPostContentTypeWebFilter(
				ObjectProvider<PathMappedEndpoints> pathMappedEndpoints) {
			return new EmptyPostContentTypeWebFilter(pathMappedEndpoints::getIfAvailable);
		}

	}

}
