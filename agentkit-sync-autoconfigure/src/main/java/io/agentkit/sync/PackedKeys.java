package io.agentkit.sync;

import java.util.Arrays;

/**
 * The keys of an {@link ItemIndex}, packed one after the other into one byte array, so
 * the keys a lookup compares take about a byte a character and lie together, rather than
 * each in a {@link String} of its own (a header, a reference and an array: some 56 bytes
 * for a 12-character name). Each key is a header, its length shifted left by one with the
 * lowest bit set when a character is outside Latin-1, in base-128 groups of seven bits
 * (one byte for a Latin-1 key under 64 characters), then its characters: a byte each
 * when they are all Latin-1, two (high byte first) otherwise.
 * <p>
 * Filled by the one thread that builds the index, then {@link #trim() trimmed} and only
 * read, by any thread.
 */
final class PackedKeys {

	private byte[] bytes;

	private int size;

	/**
	 * Create packed keys with room for about the given number of bytes.
	 * @param expectedBytes the expected number of bytes
	 */
	PackedKeys(int expectedBytes) {
		this.bytes = new byte[Math.max(expectedBytes, 16)];
	}

	/**
	 * Pack a key after those packed before it.
	 * @param key the key
	 * @return the offset to give {@link #matches(int, String)} for it
	 */
	int add(String key) {
		int length = key.length();
		boolean latin1 = isLatin1(key);
		int header = (length << 1) | (latin1 ? 0 : 1);
		ensureRoom(5 + (latin1 ? length : 2 * length));
		int offset = this.size;
		byte[] bytes = this.bytes;
		int at = offset;
		while ((header & ~0x7F) != 0) {
			bytes[at++] = (byte) ((header & 0x7F) | 0x80);
			header >>>= 7;
		}
		bytes[at++] = (byte) header;
		for (int i = 0; i < length; i++) {
			char character = key.charAt(i);
			if (latin1) {
				bytes[at++] = (byte) character;
			}
			else {
				bytes[at++] = (byte) (character >>> 8);
				bytes[at++] = (byte) character;
			}
		}
		this.size = at;
		return offset;
	}

	private static boolean isLatin1(String key) {
		for (int i = 0; i < key.length(); i++) {
			if (key.charAt(i) > 0xFF) {
				return false;
			}
		}
		return true;
	}

	private void ensureRoom(int needed) {
		if (this.bytes.length - this.size < needed) {
			this.bytes = Arrays.copyOf(this.bytes, Math.max(2 * this.bytes.length, this.size + needed));
		}
	}

	/**
	 * Let go of the room no key took, once every key is packed.
	 */
	void trim() {
		if (this.size < this.bytes.length) {
			this.bytes = Arrays.copyOf(this.bytes, this.size);
		}
	}

	/**
	 * Return whether the key packed at the given offset is equal to the given one.
	 * @param offset the offset {@link #add(String)} answered for the packed key
	 * @param key the key to compare
	 * @return whether the keys are equal
	 */
	boolean matches(int offset, String key) {
		byte[] bytes = this.bytes;
		int header = bytes[offset++];
		if (header < 0) {
			header &= 0x7F;
			int shift = 7;
			int next;
			do {
				next = bytes[offset++];
				header |= (next & 0x7F) << shift;
				shift += 7;
			}
			while (next < 0);
		}
		int length = header >>> 1;
		if (length != key.length()) {
			return false;
		}
		if ((header & 1) == 0) {
			for (int i = 0; i < length; i++) {
				if ((bytes[offset + i] & 0xFF) != key.charAt(i)) {
					return false;
				}
			}
			return true;
		}
		for (int i = 0; i < length; i++) {
			int at = offset + 2 * i;
			if ((char) ((bytes[at] << 8) | (bytes[at + 1] & 0xFF)) != key.charAt(i)) {
				return false;
			}
		}
		return true;
	}

}
