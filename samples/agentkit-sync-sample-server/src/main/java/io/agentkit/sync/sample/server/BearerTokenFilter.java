package io.agentkit.sync.sample.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Rejects requests that do not carry {@code Authorization: Bearer <token>} with a
 * {@code 401} response. Lets every request through when no token is configured.
 *
 * @author AgentKit
 */
public class BearerTokenFilter extends OncePerRequestFilter {

	private static final String BEARER_PREFIX = "Bearer ";

	private static final byte[] UNAUTHORIZED_BODY = "{\"error\":\"unauthorized\"}".getBytes(StandardCharsets.UTF_8);

	private final byte[] expectedDigest;

	/**
	 * Create a new instance.
	 * @param token the required token, or {@code null} or empty to require none
	 */
	public BearerTokenFilter(String token) {
		this.expectedDigest = StringUtils.hasText(token) ? digest(token) : null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain filterChain)
			throws ServletException, IOException {
		if (this.expectedDigest == null || isAuthorized(request.getHeader(HttpHeaders.AUTHORIZATION))) {
			filterChain.doFilter(request, response);
			return;
		}
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(UNAUTHORIZED_BODY.length);
		response.getOutputStream().write(UNAUTHORIZED_BODY);
	}

	private boolean isAuthorized(String header) {
		if (header == null || !header.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
			return false;
		}
		String token = header.substring(BEARER_PREFIX.length()).trim();
		// Comparing digests takes the same time whatever the token's content and length
		return MessageDigest.isEqual(this.expectedDigest, digest(token));
	}

	private static byte[] digest(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
