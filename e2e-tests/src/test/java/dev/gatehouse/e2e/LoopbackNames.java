package dev.gatehouse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Host names that resolve to 127.0.0.1 in the services' JVMs, so that an admin can reach a peer by its
 * domain ({@code http://<peer domain>:PORT/public/identity}, {@code http://<app>.<peer domain>:PORT/...})
 * on a machine whose resolver knows no {@code *.localhost} (glibc without nss-myhostname: "files dns"). A
 * hosts file of the JDK's own resolver ({@code -Djdk.net.hosts.file}), which it reads on each lookup: names
 * added after the JVMs started resolve at once. It replaces the system resolver in those JVMs: every name they
 * look up must be in it (PostgreSQL and Redis are addressed as 127.0.0.1).
 */
final class LoopbackNames {

	/** {@code cluster.sh}'s default JVM options on JDK 25, which {@code GATEHOUSE_JAVA_OPTS} replaces. */
	private static final String CLUSTER_JAVA_OPTS = "-Xms32m -Xmx256m -Xmn16m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 "
			+ "-XX:MaxHeapFreeRatio=20 -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError -XX:+UseCompactObjectHeaders";

	private final Path file;

	private final Set<String> names = new LinkedHashSet<>();

	LoopbackNames() {
		try {
			this.file = Files.createTempFile("gatehouse-hosts", ".txt");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.names.add("localhost");
		try {
			// Spring and the drivers may ask for the machine's own name
			this.names.add(InetAddress.getLocalHost().getHostName());
		}
		catch (UnknownHostException ex) {
			// a machine without a resolvable name of its own: nothing to add
		}
		write();
	}

	/**
	 * {@code GATEHOUSE_JAVA_OPTS} for {@code cluster.sh}: its defaults and this resolver.
	 * @return the options
	 */
	String javaOptions() {
		return CLUSTER_JAVA_OPTS + " -Djdk.net.hosts.file=" + this.file;
	}

	/**
	 * Makes names resolve to 127.0.0.1 from now on.
	 * @param added host names
	 */
	void add(String... added) {
		this.names.addAll(Arrays.asList(added));
		write();
	}

	private void write() {
		try {
			Path next = this.file.resolveSibling(this.file.getFileName() + ".new");
			Files.writeString(next, "127.0.0.1 " + String.join(" ", this.names) + "\n");
			Files.move(next, this.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	void delete() {
		try {
			Files.deleteIfExists(this.file);
		}
		catch (IOException ex) {
			// a temporary file: the system cleans it eventually
		}
	}

}
