package io.agentkit.sync.endpoint;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Tells a {@code POST} to the {@code agentkitsync} endpoint that carries neither a body nor
 * a {@code Content-Type}, as {@code curl -X POST} and most HTTP libraries send it. Actuator
 * maps a write operation that takes a parameter (here {@code force}) to JSON requests only,
 * so such a request would be refused with {@code 415 Unsupported Media Type}; the filters
 * give it the JSON content type, which an empty body then matches with no parameter.
 * A request with a body or with another content type is left as it is.
 */
final class EmptyPosts {

	private final Supplier<@Nullable String> endpointPath;

	/**
	 * Create the rule for the endpoint's path as Actuator maps it.
	 * @param pathMappedEndpoints the endpoints exposed over HTTP, looked up at the first
	 * request
	 */
	EmptyPosts(Supplier<@Nullable PathMappedEndpoints> pathMappedEndpoints) {
		this.endpointPath = SingletonSupplier.of(() -> {
			PathMappedEndpoints endpoints = pathMappedEndpoints.get();
			return (endpoints != null) ? endpoints.getPath(EndpointId.of(ConfigSyncEndpoint.ID)) : null;
		});
	}

	/**
	 * Return whether a {@code POST} is an empty one to the endpoint without a content type.
	 * @param pathWithinApplication the request path without the context path, asked for
	 * only when the rest matches (the filter sees every request of the application)
	 * @param contentType the {@code Content-Type} header, or {@code null}
	 * @param contentLength the {@code Content-Length} header, or {@code null}
	 * @param transferEncoding the {@code Transfer-Encoding} header, or {@code null}
	 * @return whether it is
	 */
	boolean isEmptyPostToTheEndpoint(Supplier<String> pathWithinApplication,
			@Nullable String contentType, @Nullable String contentLength, @Nullable String transferEncoding) {
		if (StringUtils.hasText(contentType)
				|| StringUtils.hasText(transferEncoding)
				|| (StringUtils.hasText(contentLength) && !"0".equals(contentLength.trim()))) {
			return false;
		}
		String endpointPath = this.endpointPath.get();
		// Ends with: under a servlet path (spring.mvc.servlet.path) the endpoint is below it.
		return endpointPath != null && pathWithinApplication.get().endsWith(endpointPath);
	}

}
