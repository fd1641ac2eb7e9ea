package io.agentkit.sync.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on loopback that drops kept-alive connections: it answers the first
 * request on each connection, keeping the connection alive, and closes the connection
 * without a word when the next request arrives on it, as a server does whose keep-alive
 * timeout runs out as the request comes. Made with no answers, it closes every connection
 * at its first request. It counts the connections it accepted.
 */
final class KeepAliveDroppingServer implements AutoCloseable {

	private final ServerSocket listener;

	private final boolean answersFirstRequest;

	private final AtomicInteger connections = new AtomicInteger();

	private KeepAliveDroppingServer(boolean answersFirstRequest) throws IOException {
		this.answersFirstRequest = answersFirstRequest;
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::acceptLoop, "keep-alive-dropping-server");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Start a server that answers the first request on each connection and closes it at
	 * the second.
	 * @return the server
	 * @throws IOException when it cannot listen
	 */
	static KeepAliveDroppingServer answeringFirstRequest() throws IOException {
		return new KeepAliveDroppingServer(true);
	}

	/**
	 * Start a server that closes every connection at its first request.
	 * @return the server
	 * @throws IOException when it cannot listen
	 */
	static KeepAliveDroppingServer closingEveryConnection() throws IOException {
		return new KeepAliveDroppingServer(false);
	}

	/**
	 * Return the server's address.
	 * @return the address
	 */
	URI url() {
		return URI.create("http://127.0.0.1:" + this.listener.getLocalPort() + "/");
	}

	/**
	 * Return how many connections the server accepted.
	 * @return the count
	 */
	int connections() {
		return this.connections.get();
	}

	private void acceptLoop() {
		while (!this.listener.isClosed()) {
			try {
				Socket socket = this.listener.accept();
				this.connections.incrementAndGet();
				Thread handler = new Thread(() -> serve(socket), "keep-alive-dropping-connection");
				handler.setDaemon(true);
				handler.start();
			}
			catch (IOException ex) {
				// The server is closed.
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			InputStream in = socket.getInputStream();
			String request = readRequest(in);
			if (request == null || !this.answersFirstRequest) {
				return;
			}
			String body = request.contains("/version") ? "{\"version\": \"v1\"}"
					: "{\"version\": \"v1\", \"skills\": [{\"name\": \"s\"}], \"workflows\": []}";
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			OutputStream out = socket.getOutputStream();
			out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n"
					+ "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.write(bytes);
			out.flush();
			// The next request on this connection is read whole, then the connection closed.
			readRequest(in);
		}
		catch (IOException ex) {
			// The client hung up first, or the server is closed.
		}
	}

	/**
	 * Read a request's head (a GET has no body), or return {@code null} at the end of the
	 * stream.
	 */
	private static String readRequest(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
			int next = in.read();
			if (next == -1) {
				return null;
			}
			head.append((char) next);
		}
		return head.toString();
	}

	@Override
	public void close() throws IOException {
		this.listener.close();
	}

}
