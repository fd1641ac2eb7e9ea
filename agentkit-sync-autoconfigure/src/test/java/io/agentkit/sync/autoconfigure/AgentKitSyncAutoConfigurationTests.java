package io.agentkit.sync.autoconfigure;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.agentkit.sync.ConfigChangedEvent;
import io.agentkit.sync.ConfigDocument;
import io.agentkit.sync.ConfigSnapshot;
import io.agentkit.sync.ConfigSource;
import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.ConfigSyncPoller;
import io.agentkit.sync.SyncOutcome;
import io.agentkit.sync.SyncResult;
import io.agentkit.sync.SyncStatus;
import io.agentkit.sync.TokenProvider;
import io.agentkit.sync.cache.ConfigCacheRepository;
import io.agentkit.sync.cache.SqliteConfigCacheRepository;
import io.agentkit.sync.client.ConfigServerClient;
import io.agentkit.sync.endpoint.ConfigSyncArgumentsAdvisor;
import io.agentkit.sync.endpoint.ConfigSyncEndpoint;
import io.agentkit.sync.endpoint.EmptyPostContentTypeFilter;
import io.agentkit.sync.endpoint.EmptyPostContentTypeWebFilter;
import io.agentkit.sync.health.ConfigSyncHealthIndicator;
import io.agentkit.sync.metrics.ConfigSyncMetrics;
import io.agentkit.sync.test.AgentKitTestServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.Mockito;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.config.TaskManagementConfigUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AgentKitSyncAutoConfiguration} and the health, endpoint and metrics
 * auto-configurations.
 */
class AgentKitSyncAutoConfigurationTests {

	private static final AutoConfigurations ALL = AutoConfigurations.of(AgentKitSyncAutoConfiguration.class,
			AgentKitSyncHealthContributorAutoConfiguration.class, AgentKitSyncEndpointAutoConfiguration.class,
			AgentKitSyncMetricsAutoConfiguration.class);

	@TempDir
	Path temp;

	private AgentKitTestServer server;

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void startServer() throws Exception {
		this.server = new AgentKitTestServer();
		this.contextRunner = new ApplicationContextRunner().withConfiguration(ALL)
			.withPropertyValues("agentkit.sync.server-url=" + this.server.url(),
					"agentkit.sync.cache-db-path=" + this.temp.resolve("cache.db"));
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void createsEngineCacheClientPollerHealthEndpointAndScheduling() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=agentkitsync").run((context) -> {
			assertThat(context).hasSingleBean(ConfigSync.class)
				.hasSingleBean(ConfigServerClient.class)
				.hasSingleBean(SqliteConfigCacheRepository.class)
				.hasSingleBean(ConfigSyncPoller.class)
				.hasSingleBean(TokenProvider.class)
				.hasSingleBean(ConfigSyncEndpoint.class)
				.hasSingleBean(ConfigSyncArgumentsAdvisor.class)
				.hasSingleBean(ConfigSyncMetrics.class)
				.hasBean("agentkitSyncHealthIndicator")
				.hasBean(TaskManagementConfigUtils.SCHEDULED_ANNOTATION_PROCESSOR_BEAN_NAME);
			ConfigSync configSync = context.getBean(ConfigSync.class);
			assertThat(configSync.getVersion()).isEqualTo("v1");
			assertThat(configSync.getStatus().source()).isEqualTo(ConfigSource.SERVER);
			assertThat(this.temp.resolve("cache.db")).exists();
		});
	}

	@Test
	void engineStartsWhileTheContextStartsAlsoWhenBeansAreLazy() {
		// What spring.main.lazy-initialization=true registers.
		ApplicationContextRunner lazy = this.contextRunner.withInitializer(
				(context) -> context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()));
		// With Spring Boot's scheduling and with the starter's own.
		for (ApplicationContextRunner runner : List.of(
				lazy.withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class)), lazy)) {
			runner.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeanFactory().containsSingleton("configSync"))
					.as("the engine was made while the context started").isTrue();
				assertThat(context.getBean(ConfigSync.class).getVersion()).isEqualTo("v1");
			});
		}
	}

	@Test
	void eventListenersReceiveStartupEventAndChanges() {
		this.contextRunner.withUserConfiguration(EventRecorder.class).run((context) -> {
			EventRecorder recorder = context.getBean(EventRecorder.class);
			assertThat(recorder.events).singleElement().satisfies((event) -> {
				assertThat(event.previousVersion()).isNull();
				assertThat(event.version()).isEqualTo("v1");
				assertThat(event.source()).isEqualTo(ConfigSource.SERVER);
				assertThat(event.skillChanges().added()).containsExactly("summarize");
			});
			this.server.serve("v2", "[{\"name\":\"summarize\",\"model\":\"m2\"},{\"name\":\"translate\"}]", "[]");
			context.getBean(ConfigSync.class).syncNow();
			assertThat(recorder.events).hasSize(2);
			ConfigChangedEvent change = recorder.events.get(1);
			assertThat(change.previousVersion()).isEqualTo("v1");
			assertThat(change.skillChanges().added()).containsExactly("translate");
			assertThat(change.skillChanges().changed()).containsExactly("summarize");
			assertThat(change.workflowChanges().removed()).containsExactly("triage");
		});
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void listenerThatThrowsOnTheStartupEventIsLoggedAndTheApplicationStarts(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(ThrowingEventListener.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ConfigSync.class).getVersion()).isEqualTo("v1");
			assertThat(output).contains("A listener failed on ConfigChangedEvent")
				.contains("the configuration stays in force")
				.contains("listener failed on purpose");
			this.server.serve("v2", "[{\"name\":\"translate\"}]", "[]");
			context.getBean(ConfigSync.class).syncNow();
			assertThat(context.getBean(ThrowingEventListener.class).events).hasSize(2);
			assertThat(context.getBean(ConfigSync.class).getVersion()).isEqualTo("v2");
		});
	}

	@Test
	void engineStopsWhenItsContextBeginsToCloseAndNotWhenAChildContextCloses() {
		this.contextRunner.run((context) -> {
			ConfigSync sync = context.getBean(ConfigSync.class);
			try (AnnotationConfigApplicationContext child = new AnnotationConfigApplicationContext()) {
				child.setParent(context.getSourceApplicationContext());
				child.refresh();
			}
			assertThat(sync.syncNow().outcome()).as("after a child context closed").isEqualTo(SyncOutcome.UNCHANGED);
			context.publishEvent(new ContextClosedEvent(context.getSourceApplicationContext()));
			SyncResult afterClose = sync.syncNow();
			assertThat(afterClose.outcome()).isEqualTo(SyncOutcome.FAILED);
			assertThat(afterClose.error()).isEqualTo("stopped");
			assertThat(sync.getVersion()).as("the configuration in force stays readable").isEqualTo("v1");
		});
	}

	@Test
	void childContextWithTheAutoConfigurationTooUsesTheParentsEngineAndClosingItLeavesTheEngineRunning() {
		this.contextRunner.run((parent) -> {
			ConfigSync sync = parent.getBean(ConfigSync.class);
			this.contextRunner.withParent(parent).run((child) -> {
				assertThat(child).hasNotFailed();
				assertThat(child.getBean(ConfigSync.class)).isSameAs(sync);
			});
			assertThat(sync.syncNow().outcome()).as("after the child context closed")
				.isEqualTo(SyncOutcome.UNCHANGED);
		});
	}

	@Test
	void schedulingTheStarterEnablesDoesNotKeepTheJvmAliveButTheApplicationsOwnDoes() {
		ApplicationContextRunner runner = this.contextRunner
			.withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class));
		runner.run((context) -> assertThat(context.getBean(ThreadPoolTaskScheduler.class).isDaemon())
			.as("the scheduler of scheduling the starter enabled")
			.isTrue());
		runner.withUserConfiguration(ApplicationScheduling.class)
			.run((context) -> assertThat(context.getBean(ThreadPoolTaskScheduler.class).isDaemon())
				.as("the scheduler of scheduling the application enabled")
				.isFalse());
	}

	@Test
	void disabledCreatesNothing() {
		this.contextRunner.withPropertyValues("agentkit.sync.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(ConfigSync.class)
				.doesNotHaveBean(ConfigServerClient.class)
				.doesNotHaveBean(ConfigCacheRepository.class)
				.doesNotHaveBean(AgentKitSyncProperties.class)
				.doesNotHaveBean("agentkitSyncHealthIndicator");
			assertThat(this.server.requests()).isEmpty();
		});
	}

	@Test
	void disabledNeedsNoServerUrl() {
		new ApplicationContextRunner().withConfiguration(ALL)
			.withPropertyValues("agentkit.sync.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ConfigSync.class));
	}

	@Test
	void tokenPropertyIsSentAsBearerToken() {
		this.contextRunner.withPropertyValues("agentkit.sync.token=s3cret").run((context) -> {
			assertThat(this.server.requests()).isNotEmpty()
				.allSatisfy((request) -> assertThat(request.getHeaders().get("Authorization"))
					.isEqualTo("Bearer s3cret"));
		});
	}

	@Test
	void userTokenProviderWinsOverTokenProperty() {
		this.contextRunner.withPropertyValues("agentkit.sync.token=from-property")
			.withBean(TokenProvider.class, () -> () -> "from-bean")
			.run((context) -> assertThat(this.server.requests()).isNotEmpty()
				.allSatisfy((request) -> assertThat(request.getHeaders().get("Authorization"))
					.isEqualTo("Bearer from-bean")));
	}

	@Test
	void userBeansWin() {
		this.contextRunner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context).hasSingleBean(ConfigCacheRepository.class)
				.doesNotHaveBean(SqliteConfigCacheRepository.class);
			assertThat(context.getBean(ConfigCacheRepository.class)).isSameAs(UserBeans.CACHE);
		});
	}

	@Test
	void userConfigSyncWins() {
		this.contextRunner.withUserConfiguration(UserBeans.class, UserEngine.class).run((context) -> {
			assertThat(context).hasSingleBean(ConfigSync.class);
			assertThat(context.getBean(ConfigSync.class)).isSameAs(context.getBean("myConfigSync"));
		});
	}

	@Test
	void mockedConfigSyncIsDescribedInHealthEndpointAndMetersByWhatItsMethodsAnswer() {
		// What a test of the application does with @MockitoBean ConfigSync.
		ConfigSync unstubbed = Mockito.mock(ConfigSync.class);
		ConfigSync stubbed = Mockito.mock(ConfigSync.class);
		Mockito.when(stubbed.getSnapshot())
			.thenReturn(Optional.of(ConfigSnapshot.of("v7", List.of(Map.of("name", "summarize")), List.of(), null)));
		Mockito.when(stubbed.getStatus())
			.thenReturn(new SyncStatus(ConfigSource.SERVER, Instant.now(), 0, null, null, null));
		ApplicationContextRunner runner = this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=agentkitsync");
		runner.withBean("configSync", ConfigSync.class, () -> unstubbed).run((context) -> {
			assertThat(context).hasNotFailed();
			Health health = context.getBean(ConfigSyncHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("source", "none")
				.containsEntry("version", null)
				.doesNotContainKey("error");
			assertThat(context.getBean(ConfigSyncEndpoint.class).describe()).containsEntry("skillNames", List.of());
			MeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(ConfigSyncMetrics.class).bindTo(registry);
			assertThat(registry.get("agentkit.sync.consecutive.failures").gauge().value()).isZero();
			assertThat(registry.get("agentkit.sync.cycles").tag("outcome", "failed").functionCounter().count())
				.isZero();
			assertThat(registry.get("agentkit.sync.age").gauge().value()).isNaN();
		});
		runner.withBean("configSync", ConfigSync.class, () -> stubbed).run((context) -> {
			Health health = context.getBean(ConfigSyncHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("version", "v7")
				.containsEntry("source", "server")
				.containsEntry("skills", 1);
			assertThat(context.getBean(ConfigSyncEndpoint.class).describe()).containsEntry("skillNames",
					List.of("summarize"));
		});
	}

	@Test
	void withoutActuatorThereIsNoHealthIndicatorOrEndpoint() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.health.",
					"org.springframework.boot.actuate."))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ConfigSync.class)
				.doesNotHaveBean("agentkitSyncHealthIndicator")
				.doesNotHaveBean(ConfigSyncEndpoint.class));
	}

	@Test
	void withoutMicrometerThereAreNoMeters() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.core."))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ConfigSync.class)
				.doesNotHaveBean(ConfigSyncMetrics.class));
	}

	@Test
	void endpointIsNotCreatedUnlessExposed() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(ConfigSync.class)
			.doesNotHaveBean(ConfigSyncEndpoint.class)
			.doesNotHaveBean(ConfigSyncArgumentsAdvisor.class));
	}

	@Test
	void userArgumentsAdvisorWins() {
		ConfigSyncArgumentsAdvisor own = new ConfigSyncArgumentsAdvisor(() -> "mine");
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=agentkitsync")
			.withBean("myArgumentsAdvisor", ConfigSyncArgumentsAdvisor.class, () -> own)
			.run((context) -> assertThat(context).getBean(ConfigSyncArgumentsAdvisor.class).isSameAs(own));
	}

	@Test
	void emptyPostFilterMatchesTheWebStackAndOnlyWhenTheEndpointIsExposedOverHttp() {
		String[] properties = { "agentkit.sync.server-url=" + this.server.url(),
				"agentkit.sync.cache-db-path=" + this.temp.resolve("cache.db") };
		String exposed = "management.endpoints.web.exposure.include=agentkitsync";
		new WebApplicationContextRunner().withConfiguration(ALL)
			.withPropertyValues(properties)
			.withPropertyValues(exposed)
			.run((context) -> assertThat(context).hasSingleBean(EmptyPostContentTypeFilter.class)
				.doesNotHaveBean(EmptyPostContentTypeWebFilter.class));
		new ReactiveWebApplicationContextRunner().withConfiguration(ALL)
			.withPropertyValues(properties)
			.withPropertyValues(exposed)
			.run((context) -> assertThat(context).hasSingleBean(EmptyPostContentTypeWebFilter.class)
				.doesNotHaveBean(EmptyPostContentTypeFilter.class));
		new WebApplicationContextRunner().withConfiguration(ALL)
			.withPropertyValues(properties)
			.withPropertyValues("management.endpoints.jmx.exposure.include=agentkitsync")
			.run((context) -> assertThat(context).doesNotHaveBean(EmptyPostContentTypeFilter.class));
		this.contextRunner.withPropertyValues(exposed)
			.run((context) -> assertThat(context).hasSingleBean(ConfigSyncEndpoint.class)
				.doesNotHaveBean(EmptyPostContentTypeFilter.class)
				.doesNotHaveBean(EmptyPostContentTypeWebFilter.class));
	}

	@Test
	void healthIndicatorCanBeDisabled() {
		this.contextRunner.withPropertyValues("management.health.agentkitsync.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("agentkitSyncHealthIndicator"));
	}

	@Test
	void healthReportsVersionAndSource() {
		this.contextRunner.run((context) -> {
			Health health = context.getBean(ConfigSyncHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("version", "v1").containsEntry("source", "server");
		});
	}

	@Test
	void spacesAroundTheCachePathAreNotPartOfTheFileName() {
		Path file = this.temp.resolve("spaced").resolve("cache.db");
		this.contextRunner.withPropertyValues("agentkit.sync.cache-db-path=  " + file + "  ").run((context) -> {
			assertThat(context.getBean(ConfigSync.class).getVersion()).isEqualTo("v1");
			assertThat(file).exists();
			try (Stream<Path> files = Files.list(file.getParent())) {
				assertThat(files.map((path) -> path.getFileName().toString())).allMatch((name) -> name.equals(name.strip()));
			}
		});
	}

	@Test
	void cachePathGivenAsAJdbcUrlFailsStartupOfAWebApplicationSayingWhatToWrite() {
		Path file = this.temp.resolve("j.db");
		new WebApplicationContextRunner().withConfiguration(ALL)
			.withPropertyValues("agentkit.sync.server-url=" + this.server.url(),
					"agentkit.sync.cache-db-path=jdbc:sqlite:" + file)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).isEqualTo("The AgentKit sync property "
						+ "'agentkit.sync.cache-db-path' is invalid: it is a JDBC URL (jdbc:sqlite:), not a path; the "
						+ "starter makes the cache's JDBC URL itself.\n\n    Property: agentkit.sync.cache-db-path\n"
						+ "    Value: 'jdbc:sqlite:" + file + "'");
				assertThat(analysis.getAction())
					.isEqualTo("Write the file's path alone: agentkit.sync.cache-db-path=" + file + ".");
			});
		assertThat(file).doesNotExist();
	}

	@Test
	void cachePathGivenAsAFileUrlIsTheFileItNames() {
		Path file = this.temp.resolve("a folder").resolve("cache.db");
		this.contextRunner.withPropertyValues("agentkit.sync.cache-db-path=" + file.toUri()).run((context) -> {
			assertThat(context.getBean(SqliteConfigCacheRepository.class).getFile()).isEqualTo(file);
			assertThat(context.getBean(ConfigSync.class).getVersion()).isEqualTo("v1");
			assertThat(file).exists();
		});
	}

	@Test
	void healthIndicatorSwitchIsInTheConfigurationMetadata() throws Exception {
		List<String> metadata = new ArrayList<>();
		Enumeration<URL> resources = getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
		while (resources.hasMoreElements()) {
			try (InputStream in = resources.nextElement().openStream()) {
				metadata.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
			}
		}
		assertThat(metadata).anySatisfy((json) -> assertThat(json).contains("\"management.health.agentkitsync.enabled\"")
			.contains("\"agentkit.sync.cache-db-path\""));
	}

	@Test
	void metersAreBoundToTheRegistry() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(ConfigSyncMetrics.class).bindTo(registry);
			assertThat(registry.get("agentkit.sync.skills").gauge().value()).isEqualTo(1.0);
			assertThat(registry.get("agentkit.sync.workflows").gauge().value()).isEqualTo(1.0);
		});
	}

	@Test
	void applicationDataSourceAndJdbcTemplateAreLeftAlone() {
		String appDatabase = this.temp.resolve("app.db").toString();
		this.contextRunner
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + appDatabase)
			.run((context) -> {
				assertThat(context).hasSingleBean(javax.sql.DataSource.class).hasSingleBean(JdbcTemplate.class);
				JdbcTemplate jdbcTemplate = context.getBean(JdbcTemplate.class);
				jdbcTemplate.execute("CREATE TABLE app_data (id INTEGER)");
				assertThat(jdbcTemplate.queryForObject(
						"SELECT count(*) FROM sqlite_master WHERE name = 'config_cache'", Integer.class))
					.isZero();
				assertThat(context.getBean(ConfigSync.class).getVersion()).isEqualTo("v1");
				assertThat(this.temp.resolve("cache.db")).exists();
			});
	}

	@Test
	void sslBundleLetsTheClientTrustAServerCertificateTheJvmDoesNotKnow() throws Exception {
		try (MockWebServer httpsServer = httpsServer("tls/server")) {
			String[] properties = { "agentkit.sync.server-url=" + httpsServer.url("/"),
					"agentkit.sync.cache-db-path=" + this.temp.resolve("tls-cache.db"),
					"agentkit.sync.startup-timeout=5s" };
			ApplicationContextRunner runner = new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
				.withConfiguration(ALL)
				.withPropertyValues(properties);
			runner.withPropertyValues("agentkit.sync.ssl.bundle=agentkit",
					"spring.ssl.bundle.pem.agentkit.truststore.certificate=classpath:tls/server.crt")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(ConfigSync.class).getVersion()).isEqualTo("v1");
				});
			runner.run((context) -> assertThat(context.getBean(ConfigSync.class).getStatus().lastError())
				.contains("/api/v1/config/all failed")
				.containsIgnoringCase("certification path")
				.contains("not trusted by this application (the JVM's default trust store): set "
						+ "agentkit.sync.ssl.bundle"));
			// A bundle that trusts another certificate is named, rather than said to be set.
			runner.withPropertyValues("agentkit.sync.ssl.bundle=agentkit",
					"spring.ssl.bundle.pem.agentkit.truststore.certificate=classpath:tls/example-com.crt")
				.run((context) -> assertThat(context.getBean(ConfigSync.class).getStatus().lastError())
					.containsIgnoringCase("certification path")
					.contains("not trusted by SSL bundle 'agentkit' (agentkit.sync.ssl.bundle): add the certificate",
							"spring.ssl.bundle.pem.agentkit.truststore.certificate")
					.doesNotContain("set agentkit.sync.ssl.bundle"));
		}
	}

	@Test
	void certificateForAnotherHostIsNamedAsSuchWhenTheSslBundleTrustsIt() throws Exception {
		try (MockWebServer httpsServer = httpsServer("tls/example-com")) {
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
				.withConfiguration(ALL)
				.withPropertyValues("agentkit.sync.server-url=" + httpsServer.url("/"),
						"agentkit.sync.cache-db-path=" + this.temp.resolve("tls-cache.db"),
						"agentkit.sync.startup-timeout=5s", "agentkit.sync.ssl.bundle=agentkit",
						"spring.ssl.bundle.pem.agentkit.truststore.certificate=classpath:tls/example-com.crt")
				.run((context) -> assertThat(context.getBean(ConfigSync.class).getStatus().lastError())
					.contains("/api/v1/config/all failed: the server's certificate is not for host localhost",
							"reach the server by a name its certificate has")
					.doesNotContain("not trusted"));
		}
	}

	@Test
	void sslBundleThatDoesNotExistFailsStartupNamingTheProperty() {
		assertInvalid("agentkit.sync.ssl.bundle=missing", "agentkit.sync.ssl.bundle");
		this.contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("agentkit.sync.ssl.bundle=missing")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("agentkit.sync.ssl.bundle", "missing",
						"no SSL bundle of that name");
				assertThat(analysis.getAction()).contains("spring.ssl.bundle.pem.missing");
			});
	}

	/**
	 * Start an https server with the certificate and key of the given name in the test
	 * resources ({@code tls/server}: localhost, {@code tls/example-com}: example.com).
	 */
	private static MockWebServer httpsServer(String name) throws Exception {
		PemSslStoreDetails keyStore = PemSslStoreDetails.forCertificate("classpath:" + name + ".crt")
			.withPrivateKey("classpath:" + name + ".key");
		SslBundle serverBundle = SslBundle.of(new PemSslStoreBundle(keyStore, null));
		MockWebServer server = new MockWebServer();
		server.useHttps(serverBundle.createSslContext().getSocketFactory());
		server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				String body = request.getTarget().endsWith("/version") ? "{\"version\": \"v1\"}"
						: "{\"version\": \"v1\", \"skills\": [{\"name\": \"a\"}]}";
				return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
			}

		});
		server.start();
		return server;
	}

	@Test
	void missingServerUrlFailsWithActionableMessage() {
		new ApplicationContextRunner().withConfiguration(ALL).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("agentkit.sync.server-url").contains("not set");
			assertThat(analysis.getAction()).contains("agentkit.sync.server-url").contains("agentkit.sync.enabled=false");
		});
	}

	@Test
	void malformedServerUrlFails() {
		assertInvalid("agentkit.sync.server-url=localhost:8001", "agentkit.sync.server-url");
		assertInvalid("agentkit.sync.server-url=ftp://example.com", "agentkit.sync.server-url");
		assertInvalid("agentkit.sync.server-url=http://exa mple.com", "agentkit.sync.server-url");
	}

	@Test
	void serverUrlWithAnUnderscoreInItsHostSaysWhyAndWhatToUseInstead() {
		this.contextRunner.withPropertyValues("agentkit.sync.server-url=http://agentkit_server:8001").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("host 'agentkit_server' has an underscore");
			assertThat(analysis.getAction()).contains("hyphens", "agentkit.sync.server-url");
		});
	}

	@Test
	void serverUrlWithCredentialsFailsWithoutPrintingThem() {
		this.contextRunner.withPropertyValues("agentkit.sync.server-url=https://svc:hunter2@agentkit.example.com")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("agentkit.sync.server-url", "credentials",
						"https://******@agentkit.example.com");
				assertThat(analysis.getAction()).contains("agentkit.sync.token");
				assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("hunter2");
				assertThat(context.getStartupFailure()).rootCause().message().doesNotContain("hunter2");
			});
		AgentKitSyncProperties properties = new AgentKitSyncProperties();
		properties.setServerUrl("https://svc:hunter2@agentkit.example.com");
		assertThat(properties.toString()).contains("serverUrl=https://******@agentkit.example.com")
			.doesNotContain("hunter2");
	}

	@Test
	void invalidServerUrlFailsWithoutPrintingItsQuery() {
		for (String url : List.of("https://svc:hunter2@agentkit.example.com/?api_key=SECRET123",
				"https://agentkit.example.com:99999/?api_key=SECRET123",
				"https://agentkit.example.com/?api_key=SECRET 123")) {
			this.contextRunner.withPropertyValues("agentkit.sync.server-url=" + url).run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).as(url).contains("agentkit.sync.server-url", "/?******");
				assertThat(analysis.getDescription() + analysis.getAction()).as(url).doesNotContain("SECRET");
				assertThat(context.getStartupFailure()).rootCause().message().doesNotContain("SECRET");
			});
		}
		this.contextRunner
			.withPropertyValues("agentkit.sync.server-url=http://agentkit.example.com/?api_key=SECRET123",
					"agentkit.sync.token=t0ken")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("plain http", "http://agentkit.example.com/?******");
				assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("SECRET");
			});
		AgentKitSyncProperties properties = new AgentKitSyncProperties();
		properties.setServerUrl("https://agentkit.example.com/?api_key=SECRET123");
		assertThat(properties.toString()).contains("serverUrl=https://agentkit.example.com/?******")
			.doesNotContain("SECRET");
	}

	@Test
	void zeroOrNegativeDurationsFail() {
		assertInvalid("agentkit.sync.poll-interval=0s", "agentkit.sync.poll-interval");
		assertInvalid("agentkit.sync.poll-interval=-5m", "agentkit.sync.poll-interval");
		assertInvalid("agentkit.sync.timeout=0ms", "agentkit.sync.timeout");
		assertInvalid("agentkit.sync.startup-timeout=-1s", "agentkit.sync.startup-timeout");
		assertInvalid("agentkit.sync.health.max-staleness=0s", "agentkit.sync.health.max-staleness");
	}

	@Test
	void jitterOutOfRangeFails() {
		assertInvalid("agentkit.sync.jitter=1.5", "agentkit.sync.jitter");
		assertInvalid("agentkit.sync.jitter=-0.1", "agentkit.sync.jitter");
	}

	@Test
	void unknownStaleStatusFails() {
		assertInvalid("agentkit.sync.health.stale-status=SORT_OF", "agentkit.sync.health.stale-status");
	}

	@Test
	void nonPositivePayloadSizeFails() {
		assertInvalid("agentkit.sync.max-payload-size=0B", "agentkit.sync.max-payload-size");
	}

	@Test
	void tokenOverPlainHttpToRemoteHostFails() {
		new ApplicationContextRunner().withConfiguration(ALL)
			.withPropertyValues("agentkit.sync.server-url=http://agentkit.example.com", "agentkit.sync.token=t")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("plain http").doesNotContain("=t ");
				assertThat(analysis.getAction()).contains("https").contains("agentkit.sync.allow-insecure-http");
			});
	}

	@Test
	void failFastWithoutServerOrCacheFailsStartup() {
		this.server.answerWith(503);
		this.contextRunner.withPropertyValues("agentkit.sync.fail-fast=true").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new ConfigSyncStartupFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("no AgentKit configuration is in force");
			assertThat(analysis.getAction()).contains("agentkit.sync.fail-fast=false")
				.contains("raise agentkit.sync.startup-timeout");
		});
	}

	@Test
	void withoutFailFastStartsDownAndKeepsRetrying() {
		this.server.answerWith(503);
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			Health health = context.getBean(ConfigSyncHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("source", "none").containsEntry("consecutiveFailures", 1);
		});
	}

	private void assertInvalid(String property, String name) {
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis).as(property).isNotNull();
			assertThat(analysis.getDescription()).contains(name);
			assertThat(analysis.getAction()).contains(name);
		});
	}

	private static FailureAnalysis analyze(Throwable failure) {
		return new InvalidAgentKitSyncPropertyFailureAnalyzer().analyze(failure);
	}

	@Configuration(proxyBeanMethods = false)
	static class EventRecorder {

		final List<ConfigChangedEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(ConfigChangedEvent event) {
			this.events.add(event);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class ApplicationScheduling {

	}

	static class ThrowingEventListener {

		final List<ConfigChangedEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(ConfigChangedEvent event) {
			this.events.add(event);
			throw new IllegalStateException("listener failed on purpose");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final ConfigCacheRepository CACHE = new ConfigCacheRepository() {

			@Override
			public Optional<ConfigDocument> load() {
				return Optional.empty();
			}

			@Override
			public void save(ConfigDocument document) {
			}

		};

		@Bean
		ConfigCacheRepository userCache() {
			return CACHE;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserEngine {

		@Bean
		ConfigSync myConfigSync(ConfigServerClient client, ConfigCacheRepository cache) {
			return new ConfigSync(client, cache, io.agentkit.sync.ConfigSyncSettings.defaults(),
					new io.agentkit.sync.PollSchedule(java.time.Duration.ofMinutes(5), 0, new java.util.Random()),
					java.time.Clock.systemUTC(), tools.jackson.databind.json.JsonMapper.builder().build(),
					(event) -> {
					});
		}

	}

}
