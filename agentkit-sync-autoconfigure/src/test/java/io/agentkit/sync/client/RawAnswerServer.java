package io.agentkit.sync.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;

/**
 * A peer on loopback that is not an HTTP server: it answers every connection with the
 * same bytes, whatever it was sent (nothing at all, say), and closes it. The bytes can be
 * replaced between connections.
 */
final class RawAnswerServer implements AutoCloseable {

	private final ServerSocket listener;

	private volatile byte[] answer;

	RawAnswerServer(byte[] answer) throws IOException {
		this.answer = answer;
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::acceptLoop, "raw-answer-server");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Answer the connections from now on with the given bytes.
	 * @param answer the bytes
	 */
	void answer(byte[] answer) {
		this.answer = answer;
	}

	/**
	 * Return the server's address with the given scheme.
	 * @param scheme {@code http} or {@code https}
	 * @return the address
	 */
	URI url(String scheme) {
		return URI.create(scheme + "://127.0.0.1:" + this.listener.getLocalPort() + "/");
	}

	private void acceptLoop() {
		while (!this.listener.isClosed()) {
			try (Socket socket = this.listener.accept()) {
				InputStream in = socket.getInputStream();
				in.read(new byte[8192]);
				OutputStream out = socket.getOutputStream();
				out.write(this.answer);
				out.flush();
			}
			catch (IOException ex) {
				// The client hung up first, or the server is closed.
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.listener.close();
	}

}
