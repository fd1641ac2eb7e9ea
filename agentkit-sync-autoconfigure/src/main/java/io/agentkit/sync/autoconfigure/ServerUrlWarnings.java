package io.agentkit.sync.autoconfigure;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import io.agentkit.sync.client.ServerUrls;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Warns, at startup, when {@code agentkit.sync.server-url} ends with a part of the API's own
 * paths ({@code /api/v1}, {@code /api/v1/config}, or one endpoint's whole path). The
 * starter adds {@code /api/v1/config/version} and {@code /api/v1/config/all} to the URL, so
 * such a URL, copied from the server's documentation or a browser, asks for
 * {@code /api/v1/api/v1/config/version}, and each cycle fails with a {@code 404} (or a
 * {@code 401} from a server that checks the token first) that does not say why. A server
 * whose API is mounted below such a path is possible, so the URL is not refused; the
 * warning names the URL, the path requested and what to write.
 */
final class ServerUrlWarnings {

	private static final Log logger = LogFactory.getLog(ServerUrlWarnings.class);

	private static final String API = "/api/v1/config";

	private static final List<String> API_PARTS = List.of("/api/v1", API, API + "/version", API + "/all");

	private ServerUrlWarnings() {
	}

	/**
	 * Log the warning, if any.
	 * @param properties the properties, validated
	 */
	static void log(AgentKitSyncProperties properties) {
		for (String warning : of(properties)) {
			logger.warn(warning);
		}
	}

	/**
	 * Return the warning when the server URL's path ends with a part of the API's paths.
	 * @param properties the properties, validated
	 * @return the warning, or none
	 */
	static List<String> of(AgentKitSyncProperties properties) {
		URI url = properties.serverUri();
		String path = (url.getRawPath() != null) ? url.getRawPath().replaceAll("/+$", "") : "";
		String lowerCase = path.toLowerCase(Locale.ROOT);
		for (String part : API_PARTS) {
			if (lowerCase.endsWith(part)) {
				String base = shown(url, path.substring(0, path.length() - part.length()));
				return List.of(AgentKitSyncProperties.PREFIX + "server-url=" + shown(url, path) + " ends with " + part
						+ ", a part of the AgentKit API's paths, to which the starter adds " + API
						+ "/version and " + API + "/all itself: it asks for " + shown(url, path + API + "/version")
						+ ". Set " + AgentKitSyncProperties.PREFIX + "server-url to the server's base URL (" + base
						+ "), unless the server's API is mounted below " + path);
			}
		}
		return List.of();
	}

	/**
	 * Return the URL with another path, shown without its query or credentials.
	 */
	private static String shown(URI url, String path) {
		return ServerUrls.shown(url.getScheme() + "://" + url.getRawAuthority() + path);
	}

}
