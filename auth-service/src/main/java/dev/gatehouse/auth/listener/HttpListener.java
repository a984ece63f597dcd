package dev.gatehouse.auth.listener;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.gatehouse.auth.config.AuthProperties;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.stereotype.Component;

/**
 * The replica's one HTTP listener. It starts last, once every cache and subscriber is up, and stops
 * first: readiness turns to refusing traffic, the listener keeps serving for
 * {@code gatehouse.auth.shutdown-delay} (so the proxy's health check takes the replica out before its
 * port closes), then it stops accepting, answers the requests in flight (up to
 * {@code gatehouse.auth.http.drain-timeout}), and closes every connection.
 * <p>
 * The port it bound is published as {@code local.server.port}, as Spring Boot does for its own servers.
 */
@Component
class HttpListener implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(HttpListener.class);

	private final HttpListenerProperties properties;

	private final Duration shutdownDelay;

	private final Map<String, HttpRoute> routes;

	private final ApplicationEventPublisher events;

	private final ConfigurableEnvironment environment;

	private final ChannelGroup connections = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);

	private EventLoopGroup loops;

	private Channel server;

	HttpListener(HttpListenerProperties properties, AuthProperties auth, List<HttpRoute> routes,
			ApplicationEventPublisher events, ConfigurableEnvironment environment) {
		this.properties = properties;
		this.shutdownDelay = auth.shutdownDelay();
		this.routes = routes.stream().collect(Collectors.toUnmodifiableMap(HttpRoute::path, Function.identity()));
		this.events = events;
		this.environment = environment;
	}

	@Override
	public void start() {
		boolean epoll = Epoll.isAvailable();
		this.loops = new MultiThreadIoEventLoopGroup(this.properties.eventLoops(),
				epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
		HttpDecoderConfig decoding = new HttpDecoderConfig()
			.setMaxInitialLineLength((int) this.properties.maxRequestLine().toBytes())
			.setMaxHeaderSize((int) this.properties.maxHeaderSize().toBytes());
		ServerBootstrap bootstrap = new ServerBootstrap().group(this.loops)
			.channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
			.option(ChannelOption.SO_BACKLOG, 1024)
			.childOption(ChannelOption.TCP_NODELAY, true)
			// past 64 KB of answers the client has not read, the connection stops reading (HttpConnection)
			.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
			.childHandler(new ChannelInitializer<>() {
				@Override
				protected void initChannel(Channel channel) {
					if (HttpListener.this.connections.size() >= HttpListener.this.properties.maxConnections()) {
						logger.debug("Refusing a connection: {} are open", HttpListener.this.connections.size());
						channel.close();
						return;
					}
					HttpListener.this.connections.add(channel);
					HttpConnection connection = new HttpConnection(HttpListener.this.routes,
							HttpListener.this.properties.headTimeout(), HttpListener.this.properties.idleTimeout());
					RequestDecoder decoder = new RequestDecoder(decoding);
					channel.pipeline()
						.addLast(new ChannelInboundHandlerAdapter() {
							@Override
							public void channelRead(ChannelHandlerContext ctx, Object bytes) {
								connection.bytesArrived();
								ctx.fireChannelRead(bytes);
								connection.bytesDecoded(decoder.inRequest());
							}
						})
						// not HttpServerCodec: its decoder cannot say whether it is inside a request
						// (RequestDecoder), and HttpConnection drops the bodies of HEAD answers itself
						.addLast(new CombinedChannelDuplexHandler<>(decoder, new HttpResponseEncoder()))
						.addLast(connection);
				}
			});
		String address = this.properties.address();
		InetSocketAddress bind = (address == null || address.isBlank()) ? new InetSocketAddress(this.properties.port())
				: new InetSocketAddress(address, this.properties.port());
		this.server = bootstrap.bind(bind).syncUninterruptibly().channel();
		int port = ((InetSocketAddress) this.server.localAddress()).getPort();
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("gatehouse.auth.http", Map.of("local.server.port", port)));
		logger.info("Listening on port {} ({}, {} routes)", port, epoll ? "epoll" : "nio", this.routes.size());
	}

	@Override
	public void stop() {
		AvailabilityChangeEvent.publish(this.events, this, ReadinessState.REFUSING_TRAFFIC);
		if (!this.shutdownDelay.isZero()) {
			try {
				Thread.sleep(this.shutdownDelay);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.server.close().syncUninterruptibly();
		for (Channel connection : this.connections) {
			connection.eventLoop().execute(() -> {
				HttpConnection handler = connection.pipeline().get(HttpConnection.class);
				if (handler != null) {
					handler.drain(connection.pipeline().context(handler));
				}
			});
		}
		if (!this.connections.newCloseFuture().awaitUninterruptibly(this.properties.drainTimeout().toMillis())) {
			logger.warn("Closing {} connections with requests still in flight after {}", this.connections.size(),
					this.properties.drainTimeout());
		}
		this.connections.close().awaitUninterruptibly();
		this.loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
		this.server = null;
	}

	@Override
	public boolean isRunning() {
		return this.server != null;
	}

	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

}
