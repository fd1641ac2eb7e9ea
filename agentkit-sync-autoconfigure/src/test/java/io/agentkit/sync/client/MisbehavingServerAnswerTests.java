package io.agentkit.sync.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import io.agentkit.sync.ConfigDocument;
import io.agentkit.sync.ConfigDocumentReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Tests of {@link WebClientConfigServerClient} against a peer that answers with bytes
 * put together at random from the ways servers, proxies and the network get HTTP wrong: a
 * status line of any status, version or shape; a content type of any kind or charset; a
 * content length that is right, short, long, repeated or not a number; chunks that are
 * whole, cut or not chunks; a body compressed or claiming to be; line ends of a single
 * {@code \n}; an answer cut anywhere. Each request either gives what a valid answer
 * gives or fails with a {@link ConfigServerException} whose message says, in the client's
 * own words, what went wrong, and never with anything else.
 */
class MisbehavingServerAnswerTests {

	private static final int ANSWERS = 2_000;

	private static final int TLS_ANSWERS = 100;

	private static final String ALL = "{\"version\": \"v1\", \"skills\": [{\"name\": \"s\"}], \"workflows\": []}";

	private static final String VERSION = "{\"version\": \"v1\"}";

	private static final String SECRET = "s3cr3t-t0k3n";

	/**
	 * What the client's own messages say happened, one of which each failure names.
	 */
	private static final List<String> EXPLAINED = List.of("cannot be read as HTTP",
			"closed before the whole answer came", "was reset", "headers are larger than this client reads",
			"failed: HTTP ", "answered ", "was refused", "timed out", "was cut");

	private static final List<String> STATUS_LINES = List.of("HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK",
			"HTTP/1.0 200 OK", "HTTP/1.1 200", "HTTP/1.1 200 Everything is fine, honestly", "HTTP/1.1 201 Created",
			"HTTP/1.1 203 Non-Authoritative Information", "HTTP/1.1 204 No Content", "HTTP/1.1 206 Partial Content",
			"HTTP/1.1 301 Moved Permanently", "HTTP/1.1 304 Not Modified", "HTTP/1.1 400 Bad Request",
			"HTTP/1.1 401 Unauthorized", "HTTP/1.1 404 Not Found", "HTTP/1.1 429 Too Many Requests",
			"HTTP/1.1 500 Internal Server Error", "HTTP/1.1 502 Bad Gateway", "HTTP/1.1 503 Service Unavailable",
			"HTTP/1.1 999 Beyond", "HTTP/1.1 2OO OK", "HTTP/2 200", "HTTP/1.1 -1 Negative", "HTTP/1.1  200  OK",
			"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK", "HTTP/1.1 101 Switching Protocols", "SSH-2.0-OpenSSH_9.2",
			"", "\u0000\u0001\u0002");

	private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json",
			"application/json; charset=utf-8", "application/json; charset=UTF-16", "application/json;;;",
			"application/problem+json", "text/html; charset=iso-8859-1", "text/plain", "application/octet-stream",
			"*/*", "json", "application/json; charset=nonsense", "");

	private final ConfigDocumentReader reader = new ConfigDocumentReader();

	@Test
	@Timeout(value = 5, unit = TimeUnit.MINUTES)
	void everyAnswerGivesWhatAValidOneGivesOrFailsWithAConfigServerException() throws IOException {
		Map<ConfigServerException.Reason, Integer> failures = new EnumMap<>(ConfigServerException.Reason.class);
		int answered = 0;
		try (RawAnswerServer server = new RawAnswerServer(new byte[0]);
				WebClientConfigServerClient client = client(server.url("http"))) {
			for (int seed = 0; seed < ANSWERS; seed++) {
				SplittableRandom random = new SplittableRandom(seed);
				boolean version = random.nextBoolean();
				byte[] answer = answer(random, version ? VERSION : ALL);
				server.answer(answer);
				String shown = new String(answer, StandardCharsets.ISO_8859_1);
				try {
					if (version) {
						assertThat(client.fetchVersion()).as(shown).isEqualTo("v1");
					}
					else {
						ConfigDocument document = client.fetchAll();
						assertThat(document.snapshot().version()).as(shown).isEqualTo("v1");
						assertThat(document.snapshot().skill("s")).as(shown).isPresent();
					}
					answered++;
				}
				catch (ConfigServerException ex) {
					assertThat(ex.getMessage()).as(shown).isNotBlank().doesNotContain(SECRET);
					// Said in the client's own words, not only in those of the library that failed.
					assertThat(EXPLAINED).as("%s for:%n%s", ex.getMessage(), shown).anyMatch(ex.getMessage()::contains);
					failures.merge(ex.getReason(), 1, Integer::sum);
				}
				catch (RuntimeException | Error ex) {
					fail("answer " + seed + " failed with " + ex + ":\n" + shown, ex);
				}
			}
		}
		// Both kinds of outcome were met, and failures of several kinds.
		assertThat(answered).isPositive();
		assertThat(failures).containsKeys(ConfigServerException.Reason.NETWORK,
				ConfigServerException.Reason.HTTP_STATUS, ConfigServerException.Reason.INVALID_PAYLOAD);
	}

	@Test
	@Timeout(value = 5, unit = TimeUnit.MINUTES)
	void everyAnswerToHttpsFromAPeerThatDoesNotSpeakTlsFailsSayingSo() throws IOException {
		try (RawAnswerServer server = new RawAnswerServer(new byte[0]);
				WebClientConfigServerClient client = client(server.url("https"))) {
			for (int seed = 0; seed < TLS_ANSWERS; seed++) {
				SplittableRandom random = new SplittableRandom(seed);
				byte[] answer;
				if (random.nextBoolean()) {
					answer = answer(random, ALL);
				}
				else {
					// What starts as a TLS record (handshake, alert or application data) and goes on as noise.
					answer = new byte[random.nextInt(3, 400)];
					random.nextBytes(answer);
					answer[0] = (byte) pick(random, List.of(0x16, 0x15, 0x17)).intValue();
					answer[1] = 3;
					answer[2] = (byte) random.nextInt(5);
				}
				server.answer(answer);
				String shown = new String(answer, StandardCharsets.ISO_8859_1);
				try {
					client.fetchVersion();
					fail("answer " + seed + " was taken for a version:\n" + shown);
				}
				catch (ConfigServerException ex) {
					assertThat(ex.getReason()).as(shown).isEqualTo(ConfigServerException.Reason.NETWORK);
					assertThat(ex.getMessage()).as("%s for:%n%s", ex.getMessage(), shown).contains("TLS");
				}
				catch (RuntimeException | Error ex) {
					fail("answer " + seed + " failed with " + ex + ":\n" + shown, ex);
				}
			}
		}
	}

	private WebClientConfigServerClient client(URI url) {
		return new WebClientConfigServerClient(WebClient.builder(), url, () -> SECRET, Duration.ofSeconds(2),
				DataSize.ofKilobytes(64), false, this.reader, Clock.systemUTC());
	}

	private static byte[] answer(SplittableRandom random, String json) throws IOException {
		String lineEnd = (random.nextInt(8) == 0) ? "\n" : "\r\n";
		byte[] body = body(random, json);
		StringBuilder head = new StringBuilder(pick(random, STATUS_LINES)).append(lineEnd);
		String contentType = pick(random, CONTENT_TYPES);
		if (!contentType.isEmpty()) {
			head.append("Content-Type: ").append(contentType).append(lineEnd);
		}
		boolean gzip = random.nextInt(6) == 0;
		if (gzip) {
			head.append("Content-Encoding: gzip").append(lineEnd);
			if (random.nextBoolean()) {
				body = gzip(body);
			}
		}
		boolean chunked = random.nextInt(5) == 0;
		if (chunked) {
			head.append("Transfer-Encoding: chunked").append(lineEnd);
			body = chunked(random, body, lineEnd);
		}
		switch (random.nextInt(7)) {
			case 0 -> head.append("Content-Length: ").append(body.length + random.nextInt(-5, 6)).append(lineEnd);
			case 1 -> head.append("Content-Length: nope").append(lineEnd);
			case 2 -> head.append("Content-Length: ").append(body.length).append(lineEnd)
				.append("Content-Length: ").append(body.length + 1).append(lineEnd);
			case 3 -> {
				// None: the body ends where the connection does.
			}
			default -> head.append("Content-Length: ").append(body.length).append(lineEnd);
		}
		if (random.nextInt(6) == 0) {
			head.append(pick(random, List.of("Retry-After: 120", "Retry-After: soon", "X-Nothing", ": empty",
					"X-Long: " + "x".repeat(20_000), "Connection: keep-alive", "Connection: close")))
				.append(lineEnd);
		}
		head.append(lineEnd);
		ByteArrayOutputStream answer = new ByteArrayOutputStream();
		answer.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
		answer.write(body);
		byte[] bytes = answer.toByteArray();
		// Cut short, as a dropped connection cuts it.
		return (random.nextInt(6) == 0) ? Arrays.copyOf(bytes, random.nextInt(bytes.length + 1)) : bytes;
	}

	private static byte[] body(SplittableRandom random, String json) {
		return switch (random.nextInt(8)) {
			case 0 -> new byte[0];
			case 1 -> "<html><body>Gateway error</body></html>".getBytes(StandardCharsets.US_ASCII);
			case 2 -> json.getBytes(StandardCharsets.UTF_16);
			case 3 -> {
				byte[] noise = new byte[random.nextInt(1, 300)];
				random.nextBytes(noise);
				yield noise;
			}
			case 4 -> json.substring(0, random.nextInt(json.length())).getBytes(StandardCharsets.UTF_8);
			default -> json.getBytes(StandardCharsets.UTF_8);
		};
	}

	private static byte[] gzip(byte[] body) throws IOException {
		ByteArrayOutputStream compressed = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
			gzip.write(body);
		}
		return compressed.toByteArray();
	}

	private static byte[] chunked(SplittableRandom random, byte[] body, String lineEnd) {
		StringBuilder chunks = new StringBuilder();
		String text = new String(body, StandardCharsets.ISO_8859_1);
		int at = 0;
		while (at < text.length()) {
			int length = Math.min(text.length() - at, random.nextInt(1, 40));
			// Now and then a size that is not the chunk's, or not hexadecimal.
			String size = switch (random.nextInt(12)) {
				case 0 -> Integer.toHexString(length + 3);
				case 1 -> "zz";
				default -> Integer.toHexString(length);
			};
			chunks.append(size).append(lineEnd).append(text, at, at + length).append(lineEnd);
			at += length;
		}
		if (random.nextInt(4) != 0) {
			chunks.append('0').append(lineEnd).append(lineEnd);
		}
		return chunks.toString().getBytes(StandardCharsets.ISO_8859_1);
	}

	private static <T> T pick(SplittableRandom random, List<T> choices) {
		return choices.get(random.nextInt(choices.size()));
	}

}
