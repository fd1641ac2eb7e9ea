package io.agentkit.sync;

import java.util.Arrays;

/**
 * The keys of an {@link ItemIndex}, packed one after the other into one byte array, so
 * the keys a lookup compares take about a byte a character and lie together, rather than
 * each in a {@link String} of its own (a header, a reference and an array: some 56 bytes
 * for a 12-character name). Each key is a byte, its length shifted left by one with the
 * lowest bit set when a character is outside Latin-1, then its characters: a byte each
 * when they are all Latin-1, two (high byte first) otherwise.
 * <p>
 * A key longer than {@link #MAX_PACKED_LENGTH} is kept aside instead, as a
 * {@code String} copy: packed keys are compared a character at a time, where
 * {@link String#equals} compares many at once, so past a few dozen characters the
 * comparison costs more than the memory packing saves (measured at 100,000 keys of 180
 * characters: packed 230-360 ns a lookup, aside 150-220, a {@code HashMap} 110-145).
 * <p>
 * Each key is known by the handle {@link #add(char[], int, int)} answers, never zero:
 * the offset of its characters when it is packed (after its header), the complement of
 * its place among the keys aside otherwise, so a lookup tells the two apart without
 * reading the packed bytes.
 * <p>
 * Filled by the one thread that builds the index, then {@link #trim() trimmed} and only
 * read, by any thread.
 */
final class PackedKeys {

	/**
	 * The longest key that is packed, so its header takes a byte; longer ones are kept
	 * aside.
	 */
	static final int MAX_PACKED_LENGTH = 32;

	private byte[] bytes;

	private int size;

	private String[] aside = new String[0];

	private int asideSize;

	/**
	 * Create packed keys with room for about the given number of bytes.
	 * @param expectedBytes the expected number of bytes
	 */
	PackedKeys(int expectedBytes) {
		this.bytes = new byte[Math.max(expectedBytes, 16)];
	}

	/**
	 * Pack a key, given as a range of characters, after those packed before it, or keep
	 * a copy of it aside when it is long.
	 * @param characters the characters the key is among
	 * @param from the key's first character
	 * @param length the key's number of characters
	 * @return the handle to give {@link #matches(int, String)} for it, never zero
	 */
	int add(char[] characters, int from, int length) {
		if (length > MAX_PACKED_LENGTH) {
			if (this.asideSize == this.aside.length) {
				this.aside = Arrays.copyOf(this.aside, Math.max(8, 2 * this.aside.length));
			}
			this.aside[this.asideSize] = new String(characters, from, length);
			return ~this.asideSize++;
		}
		boolean latin1 = isLatin1(characters, from, length);
		ensureRoom(1 + (latin1 ? length : 2 * length));
		int offset = this.size;
		byte[] bytes = this.bytes;
		int at = offset;
		bytes[at++] = (byte) ((length << 1) | (latin1 ? 0 : 1));
		for (int i = from; i < from + length; i++) {
			char character = characters[i];
			if (latin1) {
				bytes[at++] = (byte) character;
			}
			else {
				bytes[at++] = (byte) (character >>> 8);
				bytes[at++] = (byte) character;
			}
		}
		this.size = at;
		return offset + 1;
	}

	private static boolean isLatin1(char[] characters, int from, int length) {
		for (int i = from; i < from + length; i++) {
			if (characters[i] > 0xFF) {
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
	 * Let go of the room no key took, once every key is added.
	 */
	void trim() {
		if (this.size < this.bytes.length) {
			this.bytes = Arrays.copyOf(this.bytes, this.size);
		}
		if (this.asideSize < this.aside.length) {
			this.aside = Arrays.copyOf(this.aside, this.asideSize);
		}
	}

	/**
	 * Return whether the key of the given handle is equal to the given one.
	 * @param handle the handle {@link #add(char[], int, int)} answered for the key
	 * @param key the key to compare
	 * @return whether the keys are equal
	 */
	boolean matches(int handle, String key) {
		if (handle < 0) {
			return this.aside[~handle].equals(key);
		}
		byte[] bytes = this.bytes;
		int header = bytes[handle - 1];
		int length = header >>> 1;
		if (length != key.length()) {
			return false;
		}
		if ((header & 1) == 0) {
			for (int i = 0; i < length; i++) {
				if ((bytes[handle + i] & 0xFF) != key.charAt(i)) {
					return false;
				}
			}
			return true;
		}
		for (int i = 0; i < length; i++) {
			int at = handle + 2 * i;
			if ((char) ((bytes[at] << 8) | (bytes[at + 1] & 0xFF)) != key.charAt(i)) {
				return false;
			}
		}
		return true;
	}

}
