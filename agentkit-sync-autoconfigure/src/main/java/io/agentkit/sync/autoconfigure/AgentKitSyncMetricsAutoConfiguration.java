package io.agentkit.sync.autoconfigure;

import java.time.Clock;

import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.metrics.ConfigSyncMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the AgentKit sync's Micrometer meters, when Micrometer is
 * present. Boot binds the {@link MeterBinder} to the application's registry.
 */
@AutoConfiguration(after = AgentKitSyncAutoConfiguration.class,
		beforeName = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration")
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(ConfigSync.class)
public final class AgentKitSyncMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ConfigSyncMetrics configSyncMetrics(ConfigSync configSync) {
		return new ConfigSyncMetrics(configSync, Clock.systemUTC());
	}

}
