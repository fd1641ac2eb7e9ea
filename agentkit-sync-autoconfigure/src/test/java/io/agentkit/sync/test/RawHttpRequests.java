package io.agentkit.sync.test;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP requests written by hand on a socket, for requests an HTTP client library would
 * not send as they are (no {@code Content-Length}, say).
 */
public final class RawHttpRequests {

	private RawHttpRequests() {
	}

	/**
	 * Send a {@code POST} to a server on loopback and return the whole answer, status
	 * line and headers included.
	 * @param port the server's port
	 * @param path the path and query
	 * @param headers header lines, each ending with {@code \r\n}
	 * @param body the body
	 * @return the answer
	 * @throws IOException when the exchange fails
	 */
	public static String post(int port, String path, String headers, String body) throws IOException {
		try (Socket socket = new Socket("localhost", port)) {
			socket.getOutputStream()
				.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n"
						+ body)
					.getBytes(StandardCharsets.US_ASCII));
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
