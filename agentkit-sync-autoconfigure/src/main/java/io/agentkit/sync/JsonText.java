package io.agentkit.sync;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * The JSON text of one value, held as the UTF-8 bytes it came in. A configuration's parts
 * go from the server's body to the cache as bytes: a part of several megabytes is neither
 * decoded into a {@link String} nor encoded again on the way.
 * <p>
 * Immutable by contract: the array handed to {@link #ofUtf8(byte[])} and returned by
 * {@link #utf8()} is the value itself, so it must not be modified. Equal when the bytes
 * are.
 */
public final class JsonText {

	private static final JsonText EMPTY_ARRAY = of("[]");

	private static final JsonText NULL = of("null");

	private final byte[] utf8;

	private JsonText(byte[] utf8) {
		this.utf8 = utf8;
	}

	/**
	 * Return the text of the given JSON.
	 * @param json the JSON text
	 * @return the text
	 */
	public static JsonText of(String json) {
		return new JsonText(json.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Return the text held in the given UTF-8 bytes, without copying them. The array must
	 * not be modified afterwards.
	 * @param utf8 the UTF-8 bytes of the JSON text
	 * @return the text
	 */
	public static JsonText ofUtf8(byte[] utf8) {
		return new JsonText(utf8);
	}

	/**
	 * Return a copy of a range of the given UTF-8 bytes as a text.
	 * @param utf8 the bytes
	 * @param from the first byte of the text
	 * @param to the byte after the text
	 * @return the text
	 */
	static JsonText copyOf(byte[] utf8, int from, int to) {
		return new JsonText(Arrays.copyOfRange(utf8, from, to));
	}

	/**
	 * Return the text of an empty JSON array, {@code []}.
	 * @return the text
	 */
	public static JsonText emptyArray() {
		return EMPTY_ARRAY;
	}

	/**
	 * Return the text of JSON {@code null}.
	 * @return the text
	 */
	public static JsonText nullValue() {
		return NULL;
	}

	/**
	 * Return the UTF-8 bytes of the text: the value itself, not a copy, so it must not be
	 * modified.
	 * @return the bytes
	 */
	public byte[] utf8() {
		return this.utf8;
	}

	/**
	 * Return the length of the text in bytes.
	 * @return the number of bytes
	 */
	public int length() {
		return this.utf8.length;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof JsonText text && Arrays.equals(this.utf8, text.utf8));
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.utf8);
	}

	/**
	 * Return the JSON text.
	 * @return the text, decoded from UTF-8
	 */
	@Override
	public String toString() {
		return new String(this.utf8, StandardCharsets.UTF_8);
	}

}
