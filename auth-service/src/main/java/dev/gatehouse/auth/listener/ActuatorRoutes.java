package dev.gatehouse.auth.listener;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.EventExecutor;

import jakarta.annotation.PreDestroy;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator's health groups and Prometheus scrape, at the paths operators and the proxy's health check
 * expect. They answer off the event loops: a health contributor may do I/O (the full health checks the
 * database and Redis), and a scrape of many meters takes a while. The probes (liveness, readiness: state
 * kept in memory) have a thread of their own, so a full health check stuck on a stalled database never
 * delays the proxy's readiness check, which would then take a healthy replica out.
 */
@Configuration(proxyBeanMethods = false)
class ActuatorRoutes {

	private final ExecutorService probes = Executors
		.newSingleThreadExecutor(Thread.ofPlatform().name("actuator-probes").daemon().factory());

	private final ExecutorService reports = Executors
		.newSingleThreadExecutor(Thread.ofPlatform().name("actuator").daemon().factory());

	@PreDestroy
	void stop() {
		this.probes.shutdownNow();
		this.reports.shutdownNow();
	}

	@Bean
	HttpRoute healthRoute(HealthEndpoint health, ObjectProvider<HttpCodeStatusMapper> statuses) {
		return new HealthRoute("/actuator/health", health, statuses, this.reports);
	}

	@Bean
	HttpRoute livenessRoute(HealthEndpoint health, ObjectProvider<HttpCodeStatusMapper> statuses) {
		return new HealthRoute("/actuator/health/liveness", health, statuses, this.probes);
	}

	@Bean
	HttpRoute readinessRoute(HealthEndpoint health, ObjectProvider<HttpCodeStatusMapper> statuses) {
		return new HealthRoute("/actuator/health/readiness", health, statuses, this.probes);
	}

	@Bean
	HttpRoute prometheusRoute(PrometheusScrapeEndpoint prometheus) {
		return new OffLoopRoute("/actuator/prometheus", this.reports, () -> {
			WebEndpointResponse<byte[]> scrape = prometheus.scrape(PrometheusOutputFormat.CONTENT_TYPE_004, null);
			return response(HttpResponseStatus.valueOf(scrape.getStatus()), scrape.getBody(),
					PrometheusOutputFormat.CONTENT_TYPE_004.getProducedMimeType().toString());
		});
	}

	private static FullHttpResponse response(HttpResponseStatus status, byte[] body, String contentType) {
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
				(body != null) ? Unpooled.wrappedBuffer(body) : Unpooled.EMPTY_BUFFER);
		response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
		return response;
	}

	/** A route whose answer is computed on the actuator thread. */
	private static class OffLoopRoute implements HttpRoute {

		private final String path;

		private final ExecutorService executor;

		private final Supplier<FullHttpResponse> answer;

		OffLoopRoute(String path, ExecutorService executor, Supplier<FullHttpResponse> answer) {
			this.path = path;
			this.executor = executor;
			this.answer = answer;
		}

		@Override
		public String path() {
			return this.path;
		}

		@Override
		public CompletableFuture<FullHttpResponse> answer(HttpRequest request, EventExecutor loop) {
			return CompletableFuture.supplyAsync(this.answer, this.executor);
		}

	}

	/** A health group's status (no details: {@code show-details: never}), with actuator's status codes. */
	private static final class HealthRoute extends OffLoopRoute {

		HealthRoute(String path, HealthEndpoint health, ObjectProvider<HttpCodeStatusMapper> statuses,
				ExecutorService executor) {
			super(path, executor, () -> {
				String group = path.substring("/actuator/health".length());
				HealthDescriptor descriptor = group.isEmpty() ? health.health() : health.healthForPath(group.substring(1));
				if (descriptor == null) {
					return response(HttpResponseStatus.NOT_FOUND, null, "application/json");
				}
				int status = statuses.getIfAvailable(HttpCodeStatusMapper::getDefault).getStatusCode(descriptor.getStatus());
				return response(HttpResponseStatus.valueOf(status),
						"{\"status\":\"%s\"}".formatted(descriptor.getStatus().getCode()).getBytes(StandardCharsets.UTF_8),
						"application/json");
			});
		}

	}

}
