package io.agentkit.sync.cache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Checks the 100-byte header of a SQLite database file against the file format
 * (<a href="https://www.sqlite.org/fileformat.html">sqlite.org/fileformat.html</a>), for
 * the damage SQLite does not report as corruption: a file whose write version byte is hit
 * is opened read-only, and one whose schema format number is hit fails with an
 * "unsupported file format" error, so neither would ever be set aside and written anew.
 */
final class SqliteFileHeader {

	private static final int LENGTH = 100;

	private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

	private SqliteFileHeader() {
	}

	/**
	 * Return what is wrong with the header of a file that starts as a SQLite database.
	 * @param file the file
	 * @return the damage, in words, or {@code null} when the header is sound, or the file
	 * does not start as a SQLite database (SQLite says so itself), or cannot be read
	 */
	static @Nullable String damage(Path file) {
		byte[] header;
		try (InputStream input = Files.newInputStream(file)) {
			header = input.readNBytes(LENGTH);
		}
		catch (IOException ex) {
			return null;
		}
		if (header.length < MAGIC.length || !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
			return null;
		}
		if (header.length < LENGTH) {
			return "the file ends within its " + LENGTH + "-byte header, after " + header.length + " bytes";
		}
		int pageSize = unsigned(header, 16, 2);
		if (pageSize != 1 && (pageSize < 512 || pageSize > 32768 || Integer.bitCount(pageSize) != 1)) {
			return "its page size is " + pageSize + ", not a power of two from 512 to 65536";
		}
		int writeVersion = unsigned(header, 18, 1);
		int readVersion = unsigned(header, 19, 1);
		if (writeVersion < 1 || writeVersion > 2 || readVersion < 1 || readVersion > 2) {
			return "its file format versions are " + writeVersion + " to write and " + readVersion
					+ " to read, where SQLite knows 1 and 2";
		}
		if (unsigned(header, 21, 1) != 64 || unsigned(header, 22, 1) != 32 || unsigned(header, 23, 1) != 32) {
			return "its payload fractions are " + unsigned(header, 21, 1) + ", " + unsigned(header, 22, 1) + " and "
					+ unsigned(header, 23, 1) + ", where SQLite writes 64, 32 and 32";
		}
		int schemaFormat = unsigned(header, 44, 4);
		if (schemaFormat > 4) {
			return "its schema format number is " + schemaFormat + ", where SQLite knows 1 to 4";
		}
		int textEncoding = unsigned(header, 56, 4);
		if (textEncoding > 3) {
			return "its text encoding is " + textEncoding + ", where SQLite knows 1 to 3";
		}
		return null;
	}

	private static int unsigned(byte[] header, int offset, int length) {
		long value = 0;
		for (int i = offset; i < offset + length; i++) {
			value = (value << 8) | (header[i] & 0xFF);
		}
		return (int) Math.min(value, Integer.MAX_VALUE);
	}

}
