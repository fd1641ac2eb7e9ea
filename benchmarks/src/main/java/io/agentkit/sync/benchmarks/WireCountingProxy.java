package io.agentkit.sync.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that counts the bytes going each way, so "bytes on the wire"
 * is what a client really sent and received (request line, headers and body), whatever
 * the client. Each connection is relayed by two threads of its own.
 */
final class WireCountingProxy implements AutoCloseable {

	private final ServerSocket serverSocket;

	private final int targetPort;

	private final AtomicLong toServer = new AtomicLong();

	private final AtomicLong toClient = new AtomicLong();

	private final AtomicInteger connections = new AtomicInteger();

	private final Thread acceptor;

	WireCountingProxy(int targetPort) throws IOException {
		this.targetPort = targetPort;
		this.serverSocket = new ServerSocket();
		this.serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		this.acceptor = new Thread(this::accept, "wire-proxy-acceptor");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	int port() {
		return this.serverSocket.getLocalPort();
	}

	long toServer() {
		return this.toServer.get();
	}

	long toClient() {
		return this.toClient.get();
	}

	int connections() {
		return this.connections.get();
	}

	private void accept() {
		while (!this.serverSocket.isClosed()) {
			try {
				Socket client = this.serverSocket.accept();
				Socket server = new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
				client.setTcpNoDelay(true);
				server.setTcpNoDelay(true);
				int id = this.connections.incrementAndGet();
				relay("wire-proxy-" + id + "-up", client, server, this.toServer);
				relay("wire-proxy-" + id + "-down", server, client, this.toClient);
			}
			catch (IOException ex) {
				// Closed, or one connection failed: keep serving the others.
			}
		}
	}

	private static void relay(String name, Socket from, Socket to, AtomicLong counter) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[64 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) != -1) {
					// Counted before it is passed on, so a client that has its answer has been counted.
					counter.addAndGet(read);
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// The other side closed.
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Nothing to do.
		}
	}

	@Override
	public void close() throws IOException {
		this.serverSocket.close();
	}

}
