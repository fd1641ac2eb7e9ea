package io.agentkit.sync.client;

import java.net.URI;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ServerUrls}.
 */
class ServerUrlsTests {

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "LOCALHOST", "api.localhost", "127.0.0.1", "127.1.2.3", "127.255.255.255",
			"[::1]", "::1", "0:0:0:0:0:0:0:1", "[0000:0000:0000:0000:0000:0000:0000:0001]" })
	void loopbackHostsAreRecognised(String host) {
		assertThat(ServerUrls.isLoopback(host)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "example.invalid", "localhost.example.com", "mylocalhost", "128.0.0.1", "10.0.0.1",
			"127.0.0.1.nip.io", "1127.0.0.1", "127.0.0", "::2", "[::]", "::", "[::ffff:10.0.0.1]", "0.0.0.0", "" })
	void otherHostsAreNotLoopback(String host) {
		assertThat(ServerUrls.isLoopback(host)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://localhost:8001", "http://127.0.0.1:8001/", "http://127.1.2.3", "http://[::1]:8001",
			"https://config.example.com", "HTTPS://config.example.com/base" })
	void theTokenIsProtectedOverHttpsOrToLoopback(String url) {
		assertThat(ServerUrls.protectsToken(URI.create(url))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://example.invalid", "http://config.example.com:8001/base", "http://10.0.0.1",
			"http://localhost.example.com" })
	void theTokenIsNotProtectedOverPlainHttpToOtherHosts(String url) {
		assertThat(ServerUrls.protectsToken(URI.create(url))).isFalse();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			https://agentkit.example.com/base                          | https://agentkit.example.com/base
			https://agentkit.example.com/?api_key=SECRET123            | https://agentkit.example.com/?******
			https://svc:hunter2@agentkit.example.com:8443/base         | https://******@agentkit.example.com:8443/base
			https://svc:hunter2@agentkit.example.com?key=SECRET123     | https://******@agentkit.example.com?******
			https://svc:hunter2@agentkit.example.com/?api_key=a@b      | https://******@agentkit.example.com/?******
			https://agentkit.example.com/people/@me                    | https://agentkit.example.com/people/@me
			https://svc:p@ss@agentkit.example.com/#top                 | https://******@agentkit.example.com/#top
			https://agentkit.example.com:99999/?api_key=SECRET 123     | https://agentkit.example.com:99999/?******
			agentkit.example.com?key=SECRET123                         | agentkit.example.com?******
			""")
	void shownWithoutQueryOrCredentials(String url, String shown) {
		assertThat(ServerUrls.shown(url)).isEqualTo(shown);
	}

}
