package io.agentkit.sync.endpoint;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * A WebFlux filter that lets {@code curl -X POST /actuator/agentkitsync} run a sync cycle:
 * a {@code POST} to the endpoint with neither a body nor a {@code Content-Type} is given
 * {@code application/json} instead of being refused with {@code 415}. Every other request
 * passes unchanged.
 */
public class EmptyPostContentTypeWebFilter implements WebFilter {

	private final EmptyPosts emptyPosts;

	/**
	 * Create the filter.
	 * @param pathMappedEndpoints the endpoints exposed over HTTP, looked up at the first
	 * request
	 */
	public EmptyPostContentTypeWebFilter(Supplier<@Nullable PathMappedEndpoints> pathMappedEndpoints) {
		this.emptyPosts = new EmptyPosts(pathMappedEndpoints);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (request.getMethod() != HttpMethod.POST) {
			return chain.filter(exchange);
		}
		HttpHeaders headers = request.getHeaders();
		boolean emptyPost = this.emptyPosts.isEmptyPostToTheEndpoint(
				() -> request.getPath().pathWithinApplication().value(), headers.getFirst(HttpHeaders.CONTENT_TYPE),
				headers.getFirst(HttpHeaders.CONTENT_LENGTH), headers.getFirst(HttpHeaders.TRANSFER_ENCODING));
		if (!emptyPost) {
			return chain.filter(exchange);
		}
		ServerHttpRequest json = request.mutate()
			.headers((mutable) -> mutable.setContentType(MediaType.APPLICATION_JSON))
			.build();
		return chain.filter(exchange.mutate().request(json).build());
	}

}
