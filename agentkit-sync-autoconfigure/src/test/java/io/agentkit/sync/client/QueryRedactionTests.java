package io.agentkit.sync.client;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link QueryRedaction}.
 */
class QueryRedactionTests {

	@Test
	void wholeQueryAsSentAndDecodedIsHidden() {
		QueryRedaction query = QueryRedaction
			.of(URI.create("https://agentkit.example.com/base/?tenant=acme%20corp&api_key=SECRET123"));
		assertThat(query
			.apply("tenant lookup failed for /base/api/v1/config/version?tenant=acme%20corp&api_key=SECRET123"))
			.isEqualTo("tenant lookup failed for /base/api/v1/config/version?[the query]");
		assertThat(query.apply("no tenant in 'tenant=acme corp&api_key=SECRET123'"))
			.isEqualTo("no tenant in '[the query]'");
	}

	@Test
	void eachValueAsSentAndDecodedIsHiddenWhenItIsLongEnough() {
		QueryRedaction query = QueryRedaction
			.of(URI.create("https://agentkit.example.com/?tenant=acme&api_key=SECRET123&sig=ab%2Fcd+ef%3D%3D&debug"));
		assertThat(query.apply("api_key=SECRET123 is not valid for tenant acme"))
			.isEqualTo("api_key=[a query value] is not valid for tenant acme");
		// As sent, with %XX decoded, and with + read as a space too.
		assertThat(query.apply("sig ab%2Fcd+ef%3D%3D, ab/cd+ef==, ab/cd ef=="))
			.isEqualTo("sig [a query value], [a query value], [a query value]");
		// Values shorter than the minimum (acme, debug) would mangle ordinary words.
		assertThat(query.apply("tenant acme: debug is off")).isEqualTo("tenant acme: debug is off");
	}

	@Test
	void parameterWithoutAValueIsHiddenWhole() {
		QueryRedaction query = QueryRedaction.of(URI.create("https://agentkit.example.com/?SECRET-KEY-42"));
		assertThat(query.apply("unknown key SECRET-KEY-42")).isEqualTo("unknown key [the query]");
	}

	@Test
	void urlWithoutAQueryChangesNothing() {
		QueryRedaction query = QueryRedaction.of(URI.create("https://agentkit.example.com/base"));
		assertThat(query.apply("tenant lookup failed for /base?x=1")).isEqualTo("tenant lookup failed for /base?x=1");
	}

}
