package io.agentkit.sync.hardening;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import io.agentkit.sync.ConfigDocumentReader;
import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.TokenProvider;
import io.agentkit.sync.autoconfigure.AgentKitSyncAutoConfiguration;
import io.agentkit.sync.client.ConfigServerException;
import io.agentkit.sync.client.WebClientConfigServerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A token never travels over plain http to a host other than loopback without the
 * user's consent: startup fails with a message naming the property and the fix, unless
 * {@code agentkit.sync.allow-insecure-http=true}; and a client built by hand refuses to
 * send it.
 */
class InsecureTransportTests {

	private static final String TOKEN = "tok-insecure-4b8e0d21";

	// TEST-NET-1 (RFC 5737): not loopback, and never answers.
	private static final String REMOTE_HTTP = "http://192.0.2.10:8001";

	@TempDir
	Path temp;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AgentKitSyncAutoConfiguration.class))
			.withPropertyValues("agentkit.sync.cache-db-path=" + this.temp.resolve("cache.db"),
					"agentkit.sync.timeout=300ms", "agentkit.sync.startup-timeout=500ms");
	}

	@Test
	void tokenOverPlainHttpToARemoteHostFailsStartupWithAClearMessage() {
		runner().withPropertyValues("agentkit.sync.server-url=" + REMOTE_HTTP, "agentkit.sync.token=" + TOKEN)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("agentkit.sync.server-url")
					.contains(REMOTE_HTTP)
					.contains("plain http");
				assertThat(analysis.getAction()).contains("https")
					.contains("agentkit.sync.allow-insecure-http=true");
				assertThat(analysis.getDescription() + analysis.getAction() + stackTrace(context.getStartupFailure()))
					.doesNotContain(TOKEN);
			});
	}

	@Test
	void tokenProviderBeanOverPlainHttpToARemoteHostFailsStartupToo() {
		runner().withPropertyValues("agentkit.sync.server-url=" + REMOTE_HTTP)
			.withBean(TokenProvider.class, () -> () -> TOKEN)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(analyze(context.getStartupFailure()).getDescription()).contains("plain http");
			});
	}

	@Test
	void allowInsecureHttpLetsItStart() {
		runner()
			.withPropertyValues("agentkit.sync.server-url=" + REMOTE_HTTP, "agentkit.sync.token=" + TOKEN,
					"agentkit.sync.allow-insecure-http=true")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(ConfigSync.class));
	}

	@Test
	void plainHttpWithoutATokenOrToLoopbackNeedsNoConsent() {
		runner().withPropertyValues("agentkit.sync.server-url=" + REMOTE_HTTP)
			.run((context) -> assertThat(context).hasNotFailed());
		runner().withPropertyValues("agentkit.sync.server-url=http://127.0.0.1:9", "agentkit.sync.token=" + TOKEN)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void clientBuiltByHandRefusesToSendTheTokenOverPlainHttp() {
		try (WebClientConfigServerClient client = new WebClientConfigServerClient(WebClient.builder(),
				URI.create(REMOTE_HTTP), () -> TOKEN, Duration.ofSeconds(5), DataSize.ofMegabytes(1), false,
				new ConfigDocumentReader(), Clock.systemUTC())) {
			// Refused without connecting: a host that never answers would fail with a timeout instead.
			assertThatExceptionOfType(ConfigServerException.class).isThrownBy(client::fetchVersion)
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(ConfigServerException.Reason.INSECURE_TRANSPORT))
				.withMessageContaining("agentkit.sync.allow-insecure-http")
				.withMessageNotContaining(TOKEN);
		}
	}

	private static FailureAnalysis analyze(Throwable failure) {
		// As SpringApplication does: the first analyzer with an answer wins (those that need
		// a bean factory are left out here).
		for (FailureAnalyzer analyzer : SpringFactoriesLoader
			.forDefaultResourceLocation(InsecureTransportTests.class.getClassLoader())
			.load(FailureAnalyzer.class, SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
			}))) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis;
			}
		}
		throw new AssertionError("No failure analyzer explains " + failure);
	}

	private static String stackTrace(Throwable failure) {
		StringWriter trace = new StringWriter();
		failure.printStackTrace(new PrintWriter(trace));
		return trace.toString();
	}

}
