package io.agentkit.sync.endpoint;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Tells a {@code POST} to the {@code agentkitsync} endpoint that carries neither a body nor
 * a {@code Content-Type}, as {@code curl -X POST} and most HTTP libraries send it. Actuator
 * maps a write operation that takes a parameter (here {@code force}) to JSON requests only,
 * so such a request would be refused with {@code 415 Unsupported Media Type}; the filters
 * give it the JSON content type, which an empty body then matches with no parameter.
 * A {@code POST} whose body is of another type ({@code curl -d} sends a form), which
 * Actuator would refuse with a bare {@code 415}, is answered {@code 415} with the
 * endpoint's usual answer, whose {@code error} says to send JSON. Other requests are left
 * as they are.
 */
final class EmptyPosts {

	private final Supplier<@Nullable String> endpointPath;

	private final Supplier<@Nullable String> versionInForce;

	/**
	 * Create the rule for the endpoint's path as Actuator maps it.
	 * @param pathMappedEndpoints the endpoints exposed over HTTP, looked up at the first
	 * request
	 * @param versionInForce the version in force, which a refusal answers as a cycle's
	 * answer would
	 */
	EmptyPosts(Supplier<@Nullable PathMappedEndpoints> pathMappedEndpoints, Supplier<@Nullable String> versionInForce) {
		this.versionInForce = versionInForce;
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
		return isToTheEndpoint(pathWithinApplication);
	}

	/**
	 * Return the body of the answer to a {@code POST} to the endpoint whose body is of a
	 * type the endpoint does not read: the endpoint's usual answer, {@code FAILED}, with an
	 * {@code error} that names the type and says to send JSON.
	 * @param pathWithinApplication the request path without the context path, asked for
	 * only when the content type is not JSON
	 * @param contentType the {@code Content-Type} header, or {@code null}
	 * @return the answer's JSON, or {@code null} for a request to let through
	 */
	byte @Nullable [] refusalOfAnotherContentType(Supplier<String> pathWithinApplication,
			@Nullable String contentType) {
		if (!StringUtils.hasText(contentType) || !isNotJson(contentType) || !isToTheEndpoint(pathWithinApplication)) {
			return null;
		}
		String problem = "the request's body is sent as " + ConfigSyncEndpoint.quoted(contentType)
				+ " and the endpoint reads JSON only (curl -d sends a form): send it with Content-Type: "
				+ "application/json, as in curl -X POST -H 'Content-Type: application/json' -d '{\"force\": true}', "
				+ "or send no body for a normal cycle.";
		return JsonMapper.shared()
			.writeValueAsBytes(ConfigSyncEndpoint.refusalOf(this.versionInForce.get(), problem));
	}

	/**
	 * Return whether a content type is one Actuator does not read as JSON; one that cannot
	 * be parsed is left for Spring to refuse.
	 */
	private static boolean isNotJson(String contentType) {
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return !type.isCompatibleWith(MediaType.APPLICATION_JSON) && !"json".equals(type.getSubtypeSuffix());
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	private boolean isToTheEndpoint(Supplier<String> pathWithinApplication) {
		String endpointPath = this.endpointPath.get();
		// Ends with: under a servlet path (spring.mvc.servlet.path) the endpoint is below it.
		return endpointPath != null && pathWithinApplication.get().endsWith(endpointPath);
	}

}
