package io.agentkit.sync.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import reactor.netty.NettyPipeline;

/**
 * Drops the interim ({@code 1xx}) responses a server may send before its final response,
 * such as {@code 103 Early Hints} from a CDN or {@code 102 Processing}: a client must be
 * able to read them and may ignore them (RFC 9110, section 15.2), but Reactor Netty takes
 * any status but {@code 100} for the final response and then drops the real one. Placed
 * right after the HTTP codec, on one connection; {@code 101 Switching Protocols} is
 * passed on, since no upgrade is ever asked for and it is an answer to report.
 */
final class InterimResponseFilter extends ChannelInboundHandlerAdapter {

	private static final String NAME = "agentkit.interimResponseFilter";

	/**
	 * Whether the content of an interim response dropped is still to come.
	 */
	private boolean inInterimResponse;

	/**
	 * Add a filter right after the pipeline's HTTP/1.1 codec, as Reactor Netty sets it up
	 * when a connection is made.
	 * @param pipeline the pipeline of a new connection
	 */
	static void addTo(ChannelPipeline pipeline) {
		if (pipeline.get(NettyPipeline.HttpCodec) != null) {
			pipeline.addAfter(NettyPipeline.HttpCodec, NAME, new InterimResponseFilter());
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		if (message instanceof HttpResponse response && isInterim(response.status())) {
			this.inInterimResponse = !(message instanceof LastHttpContent);
			drop(context, message);
			return;
		}
		if (this.inInterimResponse && message instanceof HttpContent) {
			this.inInterimResponse = !(message instanceof LastHttpContent);
			drop(context, message);
			return;
		}
		context.fireChannelRead(message);
	}

	private static boolean isInterim(HttpResponseStatus status) {
		int code = status.code();
		return code >= 100 && code < 200 && code != HttpResponseStatus.SWITCHING_PROTOCOLS.code();
	}

	private static void drop(ChannelHandlerContext context, Object message) {
		ReferenceCountUtil.release(message);
		// What was read is dropped: ask for more when reading is on demand.
		if (!context.channel().config().isAutoRead()) {
			context.read();
		}
	}

}
