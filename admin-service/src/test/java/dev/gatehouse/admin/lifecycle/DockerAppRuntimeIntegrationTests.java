package dev.gatehouse.admin.lifecycle;

import java.util.Map;
import java.util.UUID;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import dev.gatehouse.model.app.AppStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Docker runtime against a real Docker engine: a tiny container labelled for a test app is started,
 * stopped, paused and unpaused. Skipped, visibly, where no engine answers.
 */
class DockerAppRuntimeIntegrationTests {

	private static final String IMAGE = "alpine:3.20";

	private final String app = "test-" + UUID.randomUUID().toString().substring(0, 8);

	private DockerClient docker;

	private String containerId;

	private DockerAppRuntime runtime;

	@BeforeEach
	void createLabelledContainer() throws Exception {
		Assumptions.assumeTrue(dockerAvailable(), "no Docker engine: the Docker runtime is not tested here");
		this.docker = DockerClientFactory.instance().client();
		this.docker.pullImageCmd(IMAGE).exec(new PullImageResultCallback()).awaitCompletion();
		this.containerId = this.docker.createContainerCmd(IMAGE)
			.withCmd("sleep", "300")
			.withLabels(Map.of(DockerAppRuntime.APP_LABEL, this.app))
			.exec()
			.getId();
		this.runtime = new DockerAppRuntime();
	}

	@AfterEach
	void removeContainer() throws Exception {
		if (this.containerId != null) {
			this.docker.removeContainerCmd(this.containerId).withForce(true).exec();
		}
		if (this.runtime != null) {
			this.runtime.close();
		}
	}

	@Test
	void drivesTheLabelledContainers() {
		assertThat(this.runtime.status(this.app)).isEqualTo(AppStatus.STOPPED);
		this.runtime.start(this.app);
		assertThat(this.runtime.status(this.app)).isEqualTo(AppStatus.RUNNING);
		this.runtime.pause(this.app);
		assertThat(this.runtime.status(this.app)).isEqualTo(AppStatus.PAUSED);
		this.runtime.start(this.app);
		assertThat(this.runtime.status(this.app)).as("start unpauses").isEqualTo(AppStatus.RUNNING);
		this.runtime.stop(this.app);
		assertThat(this.runtime.status(this.app)).isEqualTo(AppStatus.STOPPED);
	}

	@Test
	void appWithoutContainersIsDown() {
		assertThat(this.runtime.status("no-such-app-" + this.app)).isEqualTo(AppStatus.DOWN);
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}
