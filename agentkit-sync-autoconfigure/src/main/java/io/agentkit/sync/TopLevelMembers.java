package io.agentkit.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Finds where the values of some members of a JSON object lie in its UTF-8 bytes, going
 * over the bytes of the values rather than parsing them: strings are skipped to their
 * closing quote, arrays and objects to their closing bracket. A few times faster than a
 * parser's skipping, which reads every token.
 * <p>
 * It checks only what it needs to find the values, so it may find values in a body that
 * is not valid JSON; the values found are meant to be compared with those a parser gave
 * before they are used. A body it does not read plainly (not an object, a member name
 * with an escape, a comment, a byte order mark) is left to the parser: it finds nothing.
 */
final class TopLevelMembers {

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private static final long ONES = 0x0101010101010101L;

	private static final long HIGH_BITS = 0x8080808080808080L;

	private static final long QUOTES = ONES * '"';

	private static final long BACKSLASHES = ONES * '\\';

	/**
	 * The UTF-8 bytes of the names of the members to find.
	 */
	private final byte[][] wanted;

	/**
	 * Create a finder of the given members.
	 * @param names the names of the members to find (without escapes)
	 */
	TopLevelMembers(List<String> names) {
		this.wanted = new byte[names.size()][];
		for (int i = 0; i < this.wanted.length; i++) {
			this.wanted[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
		}
	}

	/**
	 * Find the values of the members in a JSON object, the last of each where a name
	 * repeats, as a parser reads them.
	 * @param body the object's UTF-8 bytes
	 * @return for the member of each name, in the order of the names, the offset of its
	 * value's first byte and the offset after its last, or {@code -1} twice when the
	 * object has no such member; {@code null} when the body is not an object read plainly
	 */
	int @Nullable [] find(byte[] body) {
		byte[][] wanted = this.wanted;
		int[] ranges = new int[2 * wanted.length];
		Arrays.fill(ranges, -1);
		int at = skipWhitespace(body, 0);
		if (at >= body.length || body[at] != '{') {
			return null;
		}
		at = skipWhitespace(body, at + 1);
		if (at < body.length && body[at] == '}') {
			return (skipWhitespace(body, at + 1) == body.length) ? ranges : null;
		}
		while (true) {
			if (at >= body.length || body[at] != '"') {
				return null;
			}
			int nameStart = at + 1;
			int nameEnd = endOfString(body, at);
			if (nameEnd < 0 || contains(body, nameStart, nameEnd - 1, (byte) '\\')) {
				return null;
			}
			at = skipWhitespace(body, nameEnd);
			if (at >= body.length || body[at] != ':') {
				return null;
			}
			int valueStart = skipWhitespace(body, at + 1);
			int valueEnd = endOfValue(body, valueStart);
			if (valueEnd < 0) {
				return null;
			}
			int member = indexOf(wanted, body, nameStart, nameEnd - 1);
			if (member >= 0) {
				ranges[2 * member] = valueStart;
				ranges[2 * member + 1] = valueEnd;
			}
			at = skipWhitespace(body, valueEnd);
			if (at >= body.length) {
				return null;
			}
			if (body[at] == '}') {
				return (skipWhitespace(body, at + 1) == body.length) ? ranges : null;
			}
			if (body[at] != ',') {
				return null;
			}
			at = skipWhitespace(body, at + 1);
		}
	}

	/**
	 * Return the offset after the value starting at the given offset, or {@code -1} when
	 * it does not end in the body.
	 */
	private static int endOfValue(byte[] body, int start) {
		if (start >= body.length) {
			return -1;
		}
		byte first = body[start];
		if (first == '"') {
			return endOfString(body, start);
		}
		if (first == '[' || first == '{') {
			return endOfNested(body, start);
		}
		// A number, true, false or null: up to the next delimiter.
		int at = start;
		while (at < body.length && !isDelimiter(body[at])) {
			at++;
		}
		return (at > start) ? at : -1;
	}

	/**
	 * Return the offset after the closing bracket of the array or object opening at the
	 * given offset, or {@code -1}.
	 */
	private static int endOfNested(byte[] body, int start) {
		int depth = 0;
		for (int at = start; at < body.length; at++) {
			byte character = body[at];
			if (character == '"') {
				at = endOfString(body, at);
				if (at < 0) {
					return -1;
				}
				at--;
			}
			else if (character == '[' || character == '{') {
				depth++;
			}
			else if (character == ']' || character == '}') {
				if (--depth == 0) {
					return at + 1;
				}
			}
		}
		return -1;
	}

	/**
	 * Return the offset after the closing quote of the string opening at the given
	 * offset, or {@code -1}.
	 */
	private static int endOfString(byte[] body, int start) {
		int at = start + 1;
		// Eight bytes at a time up to the first quote or backslash among them.
		for (; at + Long.BYTES <= body.length; at += Long.BYTES) {
			long word = (long) LONGS.get(body, at);
			long quotes = word ^ QUOTES;
			long backslashes = word ^ BACKSLASHES;
			long found = (((quotes - ONES) & ~quotes) | ((backslashes - ONES) & ~backslashes)) & HIGH_BITS;
			if (found != 0) {
				at += Long.numberOfTrailingZeros(found) >>> 3;
				break;
			}
		}
		for (; at < body.length; at++) {
			byte character = body[at];
			if (character == '"') {
				return at + 1;
			}
			if (character == '\\') {
				at++;
			}
		}
		return -1;
	}

	private static int skipWhitespace(byte[] body, int from) {
		int at = from;
		while (at < body.length && isWhitespace(body[at])) {
			at++;
		}
		return at;
	}

	private static boolean isWhitespace(byte character) {
		return character == ' ' || character == '\n' || character == '\r' || character == '\t';
	}

	private static boolean isDelimiter(byte character) {
		return character == ',' || character == '}' || character == ']' || isWhitespace(character);
	}

	private static boolean contains(byte[] body, int from, int to, byte wanted) {
		for (int at = from; at < to; at++) {
			if (body[at] == wanted) {
				return true;
			}
		}
		return false;
	}

	private static int indexOf(byte[][] wanted, byte[] body, int from, int to) {
		for (int i = 0; i < wanted.length; i++) {
			if (Arrays.equals(wanted[i], 0, wanted[i].length, body, from, to)) {
				return i;
			}
		}
		return -1;
	}

}
