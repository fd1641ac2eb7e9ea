package io.agentkit.sync.hardening;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Servers that never give a complete answer, on raw sockets so that every connection is
 * accounted for: {@link Kind#SILENT} reads the request and never answers,
 * {@link Kind#TRICKLE} sends headers and then one byte of body every 100 ms,
 * {@link Kind#BLACKHOLE} is a listening socket whose accept queue is full, so a
 * connection never opens.
 */
final class StuckServer implements AutoCloseable {

	enum Kind {

		SILENT, TRICKLE, BLACKHOLE

	}

	private final Kind kind;

	private final ServerSocket listener;

	private final List<Socket> fillers = new CopyOnWriteArrayList<>();

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger hungUp = new AtomicInteger();

	private volatile boolean closed;

	StuckServer(Kind kind) throws IOException {
		this.kind = kind;
		InetAddress loopback = InetAddress.getLoopbackAddress();
		if (kind == Kind.BLACKHOLE) {
			this.listener = new ServerSocket(0, 1, loopback);
			fillAcceptQueue(new InetSocketAddress(loopback, this.listener.getLocalPort()));
		}
		else {
			this.listener = new ServerSocket(0, 50, loopback);
			Thread acceptor = new Thread(this::acceptLoop, "stuck-server-" + kind);
			acceptor.setDaemon(true);
			acceptor.start();
		}
	}

	private void fillAcceptQueue(InetSocketAddress address) throws IOException {
		for (int i = 0; i < 64; i++) {
			Socket socket = new Socket();
			try {
				socket.connect(address, 300);
				this.fillers.add(socket);
			}
			catch (SocketTimeoutException ex) {
				socket.close();
				return;
			}
		}
		throw new IllegalStateException("The accept queue of " + address + " never filled up");
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket socket = this.listener.accept();
				this.accepted.incrementAndGet();
				Thread handler = new Thread(() -> handle(socket), "stuck-server-connection");
				handler.setDaemon(true);
				handler.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void handle(Socket socket) {
		try (socket) {
			InputStream in = socket.getInputStream();
			readRequestHead(in);
			if (this.kind == Kind.SILENT) {
				while (in.read() != -1) {
					// Wait for the client to hang up.
				}
			}
			else {
				OutputStream out = socket.getOutputStream();
				out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
				out.flush();
				while (!this.closed) {
					out.write(' ');
					out.flush();
					Thread.sleep(100);
				}
			}
		}
		catch (IOException ex) {
			// The client hung up.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.hungUp.incrementAndGet();
		}
	}

	private static void readRequestHead(InputStream in) throws IOException {
		int matched = 0;
		byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		int read;
		while (matched < end.length && (read = in.read()) != -1) {
			matched = (read == end[matched]) ? matched + 1 : ((read == end[0]) ? 1 : 0);
		}
	}

	String url() {
		return "http://127.0.0.1:" + this.listener.getLocalPort();
	}

	/**
	 * Return the number of connections the server accepted and the client has not
	 * closed yet.
	 */
	int openConnections() {
		return this.accepted.get() - this.hungUp.get();
	}

	int acceptedConnections() {
		return this.accepted.get();
	}

	@Override
	public void close() throws IOException {
		this.closed = true;
		this.listener.close();
		for (Socket filler : this.fillers) {
			filler.close();
		}
	}

}
