package io.agentkit.sync.autoconfigure;

import java.util.function.Supplier;

import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.endpoint.ConfigSyncEndpoint;
import io.agentkit.sync.endpoint.EmptyPostContentTypeFilter;
import io.agentkit.sync.endpoint.EmptyPostContentTypeWebFilter;
import jakarta.servlet.Filter;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.server.WebFilter;

/**
 * The filter that lets a {@code POST} without a body or a content type reach the
 * {@code agentkitsync} endpoint, for the web stack in use, when the endpoint is exposed
 * over HTTP. Imported by the endpoint's auto-configuration and, when Actuator runs on a
 * port of its own, by the management context, whose server is the one to filter. Each
 * context makes its own filter, so a bean is only missing when the same context lacks it.
 */
@Configuration(proxyBeanMethods = false)
@Import({ EmptyPostFilterConfigurations.Servlet.class, EmptyPostFilterConfigurations.Reactive.class })
class EmptyPostFilterConfigurations {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(Filter.class)
	static class Servlet {

		@Bean
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		@ConditionalOnAvailableEndpoint(endpoint = ConfigSyncEndpoint.class, exposure = EndpointExposure.WEB)
		EmptyPostContentTypeFilter configSyncEmptyPostContentTypeFilter(
				ObjectProvider<PathMappedEndpoints> pathMappedEndpoints, ObjectProvider<ConfigSync> configSync) {
			return new EmptyPostContentTypeFilter(pathMappedEndpoints::getIfAvailable, versionInForce(configSync));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(WebFilter.class)
	static class Reactive {

		@Bean
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		@ConditionalOnAvailableEndpoint(endpoint = ConfigSyncEndpoint.class, exposure = EndpointExposure.WEB)
		EmptyPostContentTypeWebFilter configSyncEmptyPostContentTypeWebFilter(
				ObjectProvider<PathMappedEndpoints> pathMappedEndpoints, ObjectProvider<ConfigSync> configSync) {
			return new EmptyPostContentTypeWebFilter(pathMappedEndpoints::getIfAvailable, versionInForce(configSync));
		}

	}

	private static Supplier<@Nullable String> versionInForce(ObjectProvider<ConfigSync> configSync) {
		return () -> {
			ConfigSync sync = configSync.getIfAvailable();
			return (sync != null) ? sync.getVersion() : null;
		};
	}

}
