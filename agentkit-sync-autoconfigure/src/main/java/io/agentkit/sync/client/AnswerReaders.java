package io.agentkit.sync.client;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ResolvableType;
import org.springframework.core.codec.ByteArrayDecoder;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpInputMessage;
import org.springframework.http.codec.DecoderHttpMessageReader;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.web.reactive.function.client.ExchangeStrategies;

/**
 * The client's exchange strategies. Its own reading is of bytes, by one reader made at
 * once; Spring's default readers, for a filter of the application that reads an answer as
 * something else (a {@code String}, to log it), are made the first time one is asked for,
 * with the payload size as their limit too. Spring's builder of strategies makes its
 * defaults at once, Jackson's among them, which took a quarter of a start from the cache
 * in a fresh JVM. There is no writer: a request has no body, and without a writer Spring
 * never logs request headers, which carry the token.
 */
final class AnswerReaders implements ExchangeStrategies {

	private final List<HttpMessageReader<?>> readers;

	AnswerReaders(int maxInMemorySize) {
		ByteArrayDecoder bytes = new ByteArrayDecoder();
		bytes.setMaxInMemorySize(maxInMemorySize);
		this.readers = List.of(new DecoderHttpMessageReader<>(bytes), new DefaultReadersOnDemand(maxInMemorySize));
	}

	@Override
	public List<HttpMessageReader<?>> messageReaders() {
		return this.readers;
	}

	@Override
	public List<HttpMessageWriter<?>> messageWriters() {
		return List.of();
	}

	/**
	 * Spring's default readers behind one reader, made when first asked whether they read
	 * a type. Each read goes to the first of them that reads its type and content type, as
	 * WebClient itself would choose.
	 */
	private static final class DefaultReadersOnDemand implements HttpMessageReader<Object> {

		private final int maxInMemorySize;

		private volatile @Nullable List<HttpMessageReader<?>> defaults;

		DefaultReadersOnDemand(int maxInMemorySize) {
			this.maxInMemorySize = maxInMemorySize;
		}

		@Override
		public List<MediaType> getReadableMediaTypes() {
			return defaults().stream().flatMap((reader) -> reader.getReadableMediaTypes().stream()).toList();
		}

		@Override
		public List<MediaType> getReadableMediaTypes(ResolvableType elementType) {
			return defaults().stream()
				.flatMap((reader) -> reader.getReadableMediaTypes(elementType).stream())
				.toList();
		}

		@Override
		public boolean canRead(ResolvableType elementType, @Nullable MediaType mediaType) {
			return find(elementType, mediaType) != null;
		}

		@Override
		public Flux<Object> read(ResolvableType elementType, ReactiveHttpInputMessage message,
				Map<String, Object> hints) {
			return readerOf(elementType, message).read(elementType, message, hints);
		}

		@Override
		public Mono<Object> readMono(ResolvableType elementType, ReactiveHttpInputMessage message,
				Map<String, Object> hints) {
			return readerOf(elementType, message).readMono(elementType, message, hints);
		}

		@SuppressWarnings("unchecked")
		private HttpMessageReader<Object> readerOf(ResolvableType elementType, ReactiveHttpInputMessage message) {
			// The content type WebClient's body extractors ask readers about.
			MediaType contentType = message.getHeaders().getContentType();
			HttpMessageReader<?> reader = find(elementType,
					(contentType != null) ? contentType : MediaType.APPLICATION_OCTET_STREAM);
			if (reader == null) {
				throw new IllegalStateException("No reader of " + elementType + " for " + contentType);
			}
			return (HttpMessageReader<Object>) reader;
		}

		private @Nullable HttpMessageReader<?> find(ResolvableType elementType, @Nullable MediaType mediaType) {
			for (HttpMessageReader<?> reader : defaults()) {
				if (reader.canRead(elementType, mediaType)) {
					return reader;
				}
			}
			return null;
		}

		private List<HttpMessageReader<?>> defaults() {
			List<HttpMessageReader<?>> defaults = this.defaults;
			if (defaults == null) {
				defaults = ExchangeStrategies.builder()
					.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(this.maxInMemorySize))
					.build()
					.messageReaders();
				this.defaults = defaults;
			}
			return defaults;
		}

	}

}
