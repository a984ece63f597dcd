package dev.gatehouse.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A loopback TCP proxy a test can cut: {@link #cut()} closes every connection and refuses new ones (a
 * network partition as the client sees it), {@link #hold()} keeps connections open but forwards nothing
 * (a stalled server), {@link #restore()} ends either.
 */
public final class TcpProxy implements AutoCloseable {

	private final InetSocketAddress target;

	private final ServerSocket server;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile boolean cut;

	/** Forwarding waits for this; closed (zero) unless held. */
	private volatile CountDownLatch gate = new CountDownLatch(0);

	/**
	 * Starts a proxy on a free loopback port.
	 * @param target where connections go
	 */
	public TcpProxy(InetSocketAddress target) {
		this.target = target;
		try {
			this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not open a proxy port", ex);
		}
		Thread.ofVirtual().name("tcp-proxy-" + port()).start(this::accept);
	}

	/**
	 * The proxy's port on 127.0.0.1.
	 * @return the port
	 */
	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Drops every connection and refuses new ones until {@link #restore()}.
	 */
	public void cut() {
		this.cut = true;
		this.sockets.forEach(TcpProxy::closeQuietly);
		this.sockets.clear();
	}

	/**
	 * Stops forwarding bytes, in both directions, without closing anything: requests stall until
	 * {@link #restore()}.
	 */
	public void hold() {
		this.gate = new CountDownLatch(1);
	}

	/**
	 * Accepts connections again, and forwards what was held.
	 */
	public void restore() {
		this.cut = false;
		this.gate.countDown();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				if (this.cut) {
					closeQuietly(client);
					continue;
				}
				Socket upstream = new Socket();
				upstream.connect(this.target, 1000);
				this.sockets.add(client);
				this.sockets.add(upstream);
				Thread.ofVirtual().start(() -> pipe(client, upstream));
				Thread.ofVirtual().start(() -> pipe(upstream, client));
			}
			catch (IOException ex) {
				// closed, or the target refused: the client sees a dropped connection
			}
		}
	}

	private void pipe(Socket from, Socket to) {
		byte[] buffer = new byte[16 * 1024];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				this.gate.await();
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// one side went away
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
			this.sockets.remove(from);
			this.sockets.remove(to);
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	@Override
	public void close() {
		cut();
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

}
