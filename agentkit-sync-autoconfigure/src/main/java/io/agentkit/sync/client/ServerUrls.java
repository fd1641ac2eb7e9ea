package io.agentkit.sync.client;

import java.net.URI;
import java.util.Locale;

/**
 * Checks on AgentKit server URLs, and the form in which one may be shown.
 */
public final class ServerUrls {

	private ServerUrls() {
	}

	/**
	 * Whether a bearer token may travel to the given URL without the user's consent: over
	 * {@code https}, or over plain {@code http} to a loopback host only.
	 * @param url the server URL
	 * @return {@code true} when the transport protects the token or stays on this machine
	 */
	public static boolean protectsToken(URI url) {
		return "https".equalsIgnoreCase(url.getScheme()) || isLoopback(url.getHost());
	}

	/**
	 * Return a server URL as it may be shown in a startup failure or a {@code toString}:
	 * its query, which is sent with every request and may hold a secret (an API key), as
	 * {@code ?******}, and credentials before its host ({@code user:password@}) as
	 * {@code ******@}. Works on the text as it was given, a valid URL or not.
	 * @param url the URL as it was given
	 * @return the URL without its query and credentials
	 */
	public static String shown(String url) {
		int query = url.indexOf('?');
		String shown = (query >= 0) ? url.substring(0, query) + "?******" : url;
		int scheme = shown.indexOf("://");
		if (scheme < 0) {
			return shown;
		}
		int authority = scheme + "://".length();
		int end = authority;
		while (end < shown.length() && "/?#".indexOf(shown.charAt(end)) < 0) {
			end++;
		}
		int credentialsEnd = shown.lastIndexOf('@', end - 1);
		return (credentialsEnd >= authority)
				? shown.substring(0, authority) + "******" + shown.substring(credentialsEnd) : shown;
	}

	/**
	 * Return a server URL as messages show it: scheme, host, port and path, without its
	 * query, credentials or trailing slash.
	 * @param url the URL
	 * @return the URL as it is shown
	 */
	static String displayed(URI url) {
		String text = url.getScheme() + "://" + url.getHost() + ((url.getPort() != -1) ? ":" + url.getPort() : "")
				+ ((url.getPath() != null) ? url.getPath() : "");
		return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
	}

	/**
	 * Whether a host name is a loopback name or address, decided from its text alone (no
	 * name lookup).
	 * @param host the host, as in a URL (IPv6 in brackets or not)
	 * @return {@code true} for {@code localhost}, {@code 127.0.0.0/8} and {@code ::1}
	 */
	public static boolean isLoopback(String host) {
		if (host == null) {
			return false;
		}
		String name = host.toLowerCase(Locale.ROOT);
		if (name.startsWith("[") && name.endsWith("]")) {
			name = name.substring(1, name.length() - 1);
		}
		return name.equals("localhost") || name.endsWith(".localhost") || name.matches("127(\\.\\d{1,3}){3}")
				|| name.matches("(0{0,4}:){2,7}0{0,3}1");
	}

}
