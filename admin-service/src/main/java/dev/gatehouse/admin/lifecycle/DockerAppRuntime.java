package dev.gatehouse.admin.lifecycle;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.gatehouse.model.app.AppStatus;

/**
 * Apps as Docker containers, found by the label {@value #APP_LABEL}. Configured the usual Docker way
 * ({@code DOCKER_HOST}, {@code DOCKER_TLS_VERIFY}, {@code DOCKER_CERT_PATH}).
 */
class DockerAppRuntime implements AppRuntime, AutoCloseable {

	/** The label an app author puts on every container of an app; its value is the app name. */
	static final String APP_LABEL = "gatehouse.app";

	private final DockerClient docker;

	DockerAppRuntime() {
		DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
		this.docker = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
			.dockerHost(config.getDockerHost())
			.sslConfig(config.getSSLConfig())
			.connectionTimeout(Duration.ofSeconds(2))
			.responseTimeout(Duration.ofSeconds(30))
			.build());
	}

	@Override
	public AppStatus status(String app) {
		List<Container> containers = containers(app);
		if (containers.isEmpty()) {
			return AppStatus.DOWN;
		}
		boolean running = false;
		boolean paused = false;
		boolean stopped = false;
		for (Container container : containers) {
			switch (String.valueOf(container.getState()).toLowerCase(Locale.ROOT)) {
				case "running" -> running = true;
				case "paused" -> paused = true;
				case "exited", "created" -> stopped = true;
				default -> {
					return AppStatus.ERROR;
				}
			}
		}
		if (paused) {
			return AppStatus.PAUSED;
		}
		return (running && !stopped) ? AppStatus.RUNNING : (running ? AppStatus.ERROR : AppStatus.STOPPED);
	}

	@Override
	public void start(String app) {
		forEach(app, "start", container -> {
			String state = String.valueOf(container.getState()).toLowerCase(Locale.ROOT);
			if (state.equals("paused")) {
				this.docker.unpauseContainerCmd(container.getId()).exec();
			}
			else if (!state.equals("running")) {
				this.docker.startContainerCmd(container.getId()).exec();
			}
		});
	}

	@Override
	public void stop(String app) {
		forEach(app, "stop", container -> {
			if (!"exited".equalsIgnoreCase(container.getState())) {
				this.docker.stopContainerCmd(container.getId()).withTimeout(20).exec();
			}
		});
	}

	@Override
	public void pause(String app) {
		forEach(app, "pause", container -> {
			if ("running".equalsIgnoreCase(container.getState())) {
				this.docker.pauseContainerCmd(container.getId()).exec();
			}
		});
	}

	@Override
	public void unpause(String app) {
		forEach(app, "unpause", container -> {
			if ("paused".equalsIgnoreCase(container.getState())) {
				this.docker.unpauseContainerCmd(container.getId()).exec();
			}
		});
	}

	private void forEach(String app, String operation, Consumer<Container> action) {
		List<Container> containers = containers(app);
		try {
			containers.forEach(action);
		}
		catch (RuntimeException ex) {
			throw new AppRuntimeException("Docker could not %s app '%s': %s".formatted(operation, app, ex.getMessage()), ex);
		}
	}

	private List<Container> containers(String app) {
		try {
			return this.docker.listContainersCmd().withShowAll(true).withLabelFilter(java.util.Map.of(APP_LABEL, app)).exec();
		}
		catch (RuntimeException ex) {
			throw new AppRuntimeException("Docker is unreachable: " + ex.getMessage(), ex);
		}
	}

	@Override
	public void close() throws IOException {
		this.docker.close();
	}

}
