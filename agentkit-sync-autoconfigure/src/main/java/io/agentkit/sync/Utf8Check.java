package io.agentkit.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds bytes that are not well-formed UTF-8 (RFC 3629): Jackson's parser takes some for
 * characters, an overlong form ({@code C0 80} for U+0000) or a code point past U+10FFFF
 * ({@code F4 90 80 80}), which it reads as a pair of broken surrogates. Such bytes would be
 * kept in the cache as they came, in a text column that no strict reader of UTF-8 (the
 * Python client's {@code sqlite3} among them) can read. Eight bytes at a time while they
 * are ASCII, so a configuration of megabytes is gone over in about a millisecond.
 */
final class Utf8Check {

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private static final long HIGH_BITS = 0x8080808080808080L;

	private Utf8Check() {
	}

	/**
	 * Return the offset of the first byte that does not begin a well-formed UTF-8
	 * character (or begins one that the bytes end within), or {@code -1} when all of them
	 * are well-formed.
	 * @param bytes the bytes
	 * @param from the offset of the first byte to check
	 * @param to the offset after the last byte to check
	 * @return the offset of the first malformed character, or {@code -1}
	 */
	static int firstMalformed(byte[] bytes, int from, int to) {
		int at = from;
		while (at < to) {
			if (at + Long.BYTES <= to && ((long) LONGS.get(bytes, at) & HIGH_BITS) == 0) {
				at += Long.BYTES;
				continue;
			}
			int lead = bytes[at] & 0xFF;
			if (lead < 0x80) {
				at++;
				continue;
			}
			int length = sequenceLength(bytes, at, to, lead);
			if (length < 0) {
				return at;
			}
			at += length;
		}
		return -1;
	}

	/**
	 * Return the length of the multi-byte character at the given offset, or {@code -1}
	 * when it is malformed: the second byte's range depends on the first, to refuse
	 * overlong forms, surrogates and code points past U+10FFFF.
	 */
	private static int sequenceLength(byte[] bytes, int at, int to, int lead) {
		int length;
		int low = 0x80;
		int high = 0xBF;
		if (lead >= 0xC2 && lead <= 0xDF) {
			length = 2;
		}
		else if (lead >= 0xE0 && lead <= 0xEF) {
			length = 3;
			low = (lead == 0xE0) ? 0xA0 : low;
			high = (lead == 0xED) ? 0x9F : high;
		}
		else if (lead >= 0xF0 && lead <= 0xF4) {
			length = 4;
			low = (lead == 0xF0) ? 0x90 : low;
			high = (lead == 0xF4) ? 0x8F : high;
		}
		else {
			return -1;
		}
		if (at + length > to) {
			return -1;
		}
		int second = bytes[at + 1] & 0xFF;
		if (second < low || second > high) {
			return -1;
		}
		for (int i = 2; i < length; i++) {
			if ((bytes[at + i] & 0xC0) != 0x80) {
				return -1;
			}
		}
		return length;
	}

}
