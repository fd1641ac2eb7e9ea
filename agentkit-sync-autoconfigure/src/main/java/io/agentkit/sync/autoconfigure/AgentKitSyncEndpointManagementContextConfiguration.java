package io.agentkit.sync.autoconfigure;

import io.agentkit.sync.ConfigSync;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Import;

/**
 * Configuration of the management context that Actuator starts when it runs on a port of
 * its own ({@code management.server.port}): the {@code agentkitsync} endpoint is served
 * there, so the filter that lets a {@code POST} without a body through is made there too.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnBean(ConfigSync.class)
@Import(EmptyPostFilterConfigurations.class)
final class AgentKitSyncEndpointManagementContextConfiguration {

}
