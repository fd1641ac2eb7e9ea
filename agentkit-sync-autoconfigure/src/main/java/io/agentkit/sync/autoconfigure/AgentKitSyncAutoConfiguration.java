package io.agentkit.sync.autoconfigure;

import java.time.Clock;
import java.util.Random;

import io.agentkit.sync.ConfigDocumentReader;
import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.ConfigSyncPoller;
import io.agentkit.sync.ConfigSyncSettings;
import io.agentkit.sync.PollSchedule;
import io.agentkit.sync.StaticTokenProvider;
import io.agentkit.sync.TokenProvider;
import io.agentkit.sync.cache.ConfigCacheRepository;
import io.agentkit.sync.cache.SqliteConfigCacheRepository;
import io.agentkit.sync.client.ConfigServerClient;
import io.agentkit.sync.client.ServerUrls;
import io.agentkit.sync.client.WebClientConfigServerClient;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteDataSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.config.TaskManagementConfigUtils;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration for the AgentKit configuration sync:
 * a {@link ConfigSync} engine fed by a {@link WebClient}-based server client and a SQLite
 * cache of its own (never the application's {@code DataSource}), polled by Spring
 * scheduling. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(
		afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
				"org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
				"org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration" },
		beforeName = "org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration")
@ConditionalOnClass({ WebClient.class, JdbcTemplate.class })
@ConditionalOnProperty(prefix = "agentkit.sync", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(AgentKitSyncProperties.class)
public final class AgentKitSyncAutoConfiguration {

	private final AgentKitSyncProperties properties;

	AgentKitSyncAutoConfiguration(AgentKitSyncProperties properties, Environment environment) {
		properties.validate();
		UnknownPropertyWarnings.log(environment);
		UnitlessValueWarnings.log(environment);
		StalenessWarnings.log(properties, environment);
		CacheVariableWarnings.log(properties, environment);
		ServerUrlWarnings.log(properties);
		this.properties = properties;
	}

	@Bean
	@ConditionalOnMissingBean
	TokenProvider agentKitSyncTokenProvider() {
		return new StaticTokenProvider(this.properties.getToken());
	}

	@Bean
	@ConditionalOnMissingBean
	ConfigDocumentReader configDocumentReader() {
		return new ConfigDocumentReader();
	}

	@Bean
	@ConditionalOnMissingBean
	ConfigServerClient configServerClient(ObjectProvider<WebClient.Builder> webClientBuilder,
			TokenProvider tokenProvider, ConfigDocumentReader documentReader, ObjectProvider<SslBundles> sslBundles) {
		if (!(tokenProvider instanceof StaticTokenProvider staticProvider) || staticProvider.hasToken()) {
			requireTokenProtection();
		}
		SslContext sslContext = sslContext(sslBundles);
		return new WebClientConfigServerClient(webClientBuilder.getIfAvailable(WebClient::builder),
				this.properties.serverUri(), tokenProvider, this.properties.getTimeout(),
				this.properties.getMaxPayloadSize(), this.properties.isAllowInsecureHttp(), documentReader,
				Clock.systemUTC(), sslContext, (sslContext != null) ? this.properties.getSsl().getBundle() : null);
	}

	private @Nullable SslContext sslContext(ObjectProvider<SslBundles> sslBundles) {
		String name = this.properties.getSsl().getBundle();
		if (name == null || name.isBlank()) {
			return null;
		}
		SslBundles bundles = sslBundles.getIfAvailable();
		if (bundles == null) {
			throw new InvalidAgentKitSyncPropertyException("ssl.bundle", name, "the application has no SSL bundles",
					"Define the bundle under spring.ssl.bundle (pem or jks), or remove agentkit.sync.ssl.bundle "
							+ "to use the JVM's default trust store.");
		}
		try {
			return NettySslContexts.forClient(bundles.getBundle(name));
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidAgentKitSyncPropertyException("ssl.bundle", name, "there is no SSL bundle of that name",
					"Define spring.ssl.bundle.pem." + name + " (or spring.ssl.bundle.jks." + name
							+ "), or set agentkit.sync.ssl.bundle to the name of a bundle the application defines.");
		}
	}

	private void requireTokenProtection() {
		if (!this.properties.isAllowInsecureHttp() && !ServerUrls.protectsToken(this.properties.serverUri())) {
			throw new InvalidAgentKitSyncPropertyException("server-url",
					ServerUrls.shown(this.properties.serverUri().toString()),
					"a bearer token would be sent over plain http to a host other than loopback",
					"Use an https URL for agentkit.sync.server-url, or, if the network is trusted, set "
							+ "agentkit.sync.allow-insecure-http=true.");
		}
	}

	@Bean
	ContextRefreshedEventPublisher agentKitSyncEventPublisher(ApplicationEventPublisher eventPublisher) {
		return new ContextRefreshedEventPublisher(eventPublisher);
	}

	@Bean
	@ConditionalOnMissingBean
	ConfigSync configSync(ConfigServerClient configServerClient, ConfigCacheRepository configCacheRepository,
			ObjectProvider<JsonMapper> jsonMapper, ContextRefreshedEventPublisher eventPublisher) {
		ConfigSyncSettings settings = new ConfigSyncSettings(this.properties.getPollInterval(),
				this.properties.getJitter(), this.properties.getStartupMode(), this.properties.getStartupTimeout(),
				this.properties.getTimeout(), this.properties.isFailFast());
		PollSchedule schedule = new PollSchedule(settings.pollInterval(), settings.jitter(), new Random());
		return new ConfigSync(configServerClient, configCacheRepository, settings, schedule, Clock.systemUTC(),
				jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()), eventPublisher);
	}

	@Bean
	ConfigSyncContextClosedListener agentKitSyncContextClosedListener(ApplicationContext context,
			ConfigSync configSync) {
		return new ConfigSyncContextClosedListener(context, configSync);
	}

	@Bean
	@ConditionalOnMissingBean
	ConfigSyncPoller configSyncPoller(ConfigSync configSync) {
		return new ConfigSyncPoller(configSync);
	}

	/**
	 * Keep the engine and its poller eager under {@code spring.main.lazy-initialization}:
	 * the configuration is put in force while the application starts, not at its first
	 * use (a first request then waiting for the first pull), and polled from then on.
	 * @return the filter
	 */
	@Bean
	static LazyInitializationExcludeFilter agentKitSyncLazyInitializationExcludeFilter() {
		return LazyInitializationExcludeFilter.forBeanTypes(ConfigSync.class, ConfigSyncPoller.class);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SQLiteDataSource.class)
	static class SqliteCacheConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ConfigCacheRepository configCacheRepository(AgentKitSyncProperties properties,
				ConfigDocumentReader documentReader) {
			return new SqliteConfigCacheRepository(properties.cacheFile(), documentReader, Clock.systemUTC(), 1000);
		}

	}

	/**
	 * Scheduling for the poller, where the application has not enabled it. Its scheduler's
	 * threads are daemon threads: scheduling that the application did not ask for does not
	 * keep a command-line application's JVM alive once its work is done (a web server
	 * keeps a web application's, and {@code spring.main.keep-alive=true} any other's).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(name = TaskManagementConfigUtils.SCHEDULED_ANNOTATION_PROCESSOR_BEAN_NAME)
	@EnableScheduling
	static class SchedulingConfiguration {

		@Bean
		ThreadPoolTaskSchedulerCustomizer agentKitSyncDaemonSchedulerCustomizer() {
			return (scheduler) -> scheduler.setDaemon(true);
		}

	}

}
