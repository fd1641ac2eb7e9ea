package io.agentkit.sync.client;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.web.util.UriUtils;

/**
 * Hides the query of the server URL (a tenant, an API key) in what the server says, so a
 * server that echoes the request it got into an error body or a redirect does not put
 * the query into a failure message, and so into the log and the health output.
 * <p>
 * The texts hidden are the whole query, as sent and decoded, replaced by
 * {@code [the query]}, and each parameter's value (or a parameter without {@code =}
 * whole), as sent and decoded, replaced by {@code [a query value]}, so that an echo of
 * {@code api_key=SECRET123} alone is caught too. Decoded is both with {@code %XX} decoded
 * and with {@code +} read as a space as well, as servers decode a query. A text shorter
 * than {@value #MIN_LENGTH} characters is left as it is: replacing a value such as
 * {@code acme}, {@code en}, {@code true} or {@code 1} wherever it occurs would mangle
 * ordinary words and numbers, and a secret is longer than that to be one. Immutable and
 * thread-safe.
 */
final class QueryRedaction {

	/**
	 * The fewest characters a text of the query must have to be hidden.
	 */
	static final int MIN_LENGTH = 8;

	private static final QueryRedaction NONE = new QueryRedaction(Map.of());

	/**
	 * What replaces each text, the longest text first, so that the whole query goes before
	 * its values.
	 */
	private final Map<String, String> replacements;

	private QueryRedaction(Map<String, String> replacements) {
		this.replacements = replacements;
	}

	/**
	 * Return the redaction of a URL's query.
	 * @param url the URL
	 * @return the redaction, which changes nothing when the URL has no query
	 */
	static QueryRedaction of(URI url) {
		String query = url.getRawQuery();
		if (query == null || query.isEmpty()) {
			return NONE;
		}
		Map<String, String> found = new LinkedHashMap<>();
		addForms(found, query, "[the query]");
		for (String parameter : query.split("&")) {
			int equals = parameter.indexOf('=');
			addForms(found, (equals >= 0) ? parameter.substring(equals + 1) : parameter, "[a query value]");
		}
		List<String> texts = new ArrayList<>(found.keySet());
		texts.sort(Comparator.comparingInt(String::length).reversed());
		Map<String, String> replacements = new LinkedHashMap<>();
		texts.forEach((text) -> replacements.put(text, found.get(text)));
		return new QueryRedaction(replacements);
	}

	private static void addForms(Map<String, String> found, String raw, String replacement) {
		for (String form : List.of(raw, UriUtils.decode(raw, StandardCharsets.UTF_8),
				URLDecoder.decode(raw, StandardCharsets.UTF_8))) {
			if (form.length() >= MIN_LENGTH) {
				found.putIfAbsent(form, replacement);
			}
		}
	}

	/**
	 * Return the text with the query's texts hidden.
	 * @param text what the server said
	 * @return the text without the query
	 */
	String apply(String text) {
		String result = text;
		for (Map.Entry<String, String> replacement : this.replacements.entrySet()) {
			result = result.replace(replacement.getKey(), replacement.getValue());
		}
		return result;
	}

}
