package io.agentkit.sync.endpoint;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * A WebFlux filter that lets {@code curl -X POST /actuator/agentkitsync} run a sync cycle:
 * a {@code POST} to the endpoint with neither a body nor a {@code Content-Type} is given
 * {@code application/json} instead of being refused with {@code 415}. A {@code POST} to
 * the endpoint whose body is of another type ({@code curl -d} sends a form) is answered
 * {@code 415} with the endpoint's usual answer, saying to send JSON. Every other request
 * passes unchanged.
 */
public class EmptyPostContentTypeWebFilter implements WebFilter {

	private final EmptyPosts emptyPosts;

	/**
	 * Create the filter.
	 * @param pathMappedEndpoints the endpoints exposed over HTTP, looked up at the first
	 * request
	 * @param versionInForce the version in force, which a refusal answers
	 */
	public EmptyPostContentTypeWebFilter(Supplier<@Nullable PathMappedEndpoints> pathMappedEndpoints,
			Supplier<@Nullable String> versionInForce) {
		this.emptyPosts = new EmptyPosts(pathMappedEndpoints, versionInForce);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (request.getMethod() != HttpMethod.POST) {
			return chain.filter(exchange);
		}
		HttpHeaders headers = request.getHeaders();
		Supplier<String> path = () -> request.getPath().pathWithinApplication().value();
		byte[] refusal = this.emptyPosts.refusalOfAnotherContentType(path, headers.getFirst(HttpHeaders.CONTENT_TYPE));
		if (refusal != null) {
			ServerHttpResponse response = exchange.getResponse();
			response.setStatusCode(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
			response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
			response.getHeaders().setContentLength(refusal.length);
			return response.writeWith(Mono.just(response.bufferFactory().wrap(refusal)));
		}
		boolean emptyPost = this.emptyPosts.isEmptyPostToTheEndpoint(path, headers.getFirst(HttpHeaders.CONTENT_TYPE),
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
