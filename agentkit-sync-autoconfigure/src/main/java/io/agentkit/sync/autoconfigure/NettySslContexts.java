package io.agentkit.sync.autoconfigure;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;

/**
 * Turns a Spring Boot {@link SslBundle} into the Netty client {@link SslContext} that the
 * AgentKit server client uses: its key and trust managers, ciphers and protocols, as
 * Boot's own Reactor Netty connector applies a bundle.
 */
final class NettySslContexts {

	private NettySslContexts() {
	}

	/**
	 * Return a client context made from the bundle.
	 * @param bundle the SSL bundle
	 * @return the context
	 * @throws IllegalStateException when Netty cannot make a context of it
	 */
	static SslContext forClient(SslBundle bundle) {
		SslManagerBundle managers = bundle.getManagers();
		SslOptions options = bundle.getOptions();
		try {
			return SslContextBuilder.forClient()
				.keyManager(managers.getKeyManagerFactory())
				.trustManager(managers.getTrustManagerFactory())
				.ciphers(SslOptions.asSet(options.getCiphers()))
				.protocols(options.getEnabledProtocols())
				.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Could not make a TLS context of the SSL bundle: " + ex.getMessage(), ex);
		}
	}

}
