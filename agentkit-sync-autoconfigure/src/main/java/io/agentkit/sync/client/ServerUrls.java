package io.agentkit.sync.client;

import java.net.URI;
import java.util.Locale;

/**
 * Checks on AgentKit server URLs.
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
