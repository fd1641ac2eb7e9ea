package io.agentkit.sync.endpoint;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A servlet filter that lets {@code curl -X POST /actuator/agentkitsync} run a sync cycle:
 * a {@code POST} to the endpoint with neither a body nor a {@code Content-Type} is given
 * {@code application/json} instead of being refused with {@code 415}. A {@code POST} to
 * the endpoint whose body is of another type ({@code curl -d} sends a form) is answered
 * {@code 415} with the endpoint's usual answer, saying to send JSON. Every other request
 * passes unchanged.
 */
public class EmptyPostContentTypeFilter extends OncePerRequestFilter {

	private final EmptyPosts emptyPosts;

	/**
	 * Create the filter.
	 * @param pathMappedEndpoints the endpoints exposed over HTTP, looked up at the first
	 * request
	 * @param versionInForce the version in force, which a refusal answers
	 */
	public EmptyPostContentTypeFilter(Supplier<@Nullable PathMappedEndpoints> pathMappedEndpoints,
			Supplier<@Nullable String> versionInForce) {
		this.emptyPosts = new EmptyPosts(pathMappedEndpoints, versionInForce);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!HttpMethod.POST.matches(request.getMethod())) {
			chain.doFilter(request, response);
			return;
		}
		Supplier<String> path = () -> request.getRequestURI().substring(request.getContextPath().length());
		byte[] refusal = this.emptyPosts.refusalOfAnotherContentType(path, request.getContentType());
		if (refusal != null) {
			response.setStatus(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE);
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.setContentLength(refusal.length);
			response.getOutputStream().write(refusal);
			return;
		}
		boolean emptyPost = this.emptyPosts.isEmptyPostToTheEndpoint(path, request.getContentType(),
				request.getHeader(HttpHeaders.CONTENT_LENGTH), request.getHeader(HttpHeaders.TRANSFER_ENCODING));
		chain.doFilter(emptyPost ? new JsonContentTypeRequest(request) : request, response);
	}

	/**
	 * The request with a JSON {@code Content-Type}.
	 */
	private static final class JsonContentTypeRequest extends HttpServletRequestWrapper {

		JsonContentTypeRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public String getContentType() {
			return MediaType.APPLICATION_JSON_VALUE;
		}

		@Override
		public @Nullable String getHeader(String name) {
			return isContentType(name) ? getContentType() : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return isContentType(name) ? Collections.enumeration(Set.of(getContentType())) : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			Set<String> names = new LinkedHashSet<>(Collections.list(super.getHeaderNames()));
			names.add(HttpHeaders.CONTENT_TYPE);
			return Collections.enumeration(names);
		}

		private static boolean isContentType(String name) {
			return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name);
		}

	}

}
