package io.agentkit.sync;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Utf8Check}.
 */
class Utf8CheckTests {

	@Test
	void findsWhatTheJdksStrictDecoderRefusesAndNothingElse() {
		Random random = new Random(42);
		for (int round = 0; round < 20_000; round++) {
			byte[] bytes = new byte[random.nextInt(40)];
			for (int i = 0; i < bytes.length; i++) {
				// Mostly ASCII, to go through the eight-bytes-at-a-time path too.
				bytes[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : random.nextInt(128));
			}
			int malformed = Utf8Check.firstMalformed(bytes, 0, bytes.length);
			assertThat(malformed < 0).as("%s", HexFormat.ofDelimiter(" ").formatHex(bytes))
				.isEqualTo(decodesStrictly(bytes));
		}
	}

	@Test
	void everyCodePointEncodedByTheJdkIsWellFormed() {
		for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
			if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
				continue;
			}
			byte[] bytes = ("12345678" + Character.toString(codePoint)).getBytes(StandardCharsets.UTF_8);
			assertThat(Utf8Check.firstMalformed(bytes, 0, bytes.length)).as("U+%04X", codePoint).isEqualTo(-1);
		}
	}

	@Test
	void namesTheFirstByteOfTheFirstMalformedCharacter() {
		byte[] bytes = "abcdefghij\u00e9k".getBytes(StandardCharsets.UTF_8);
		byte[] overlong = new byte[bytes.length + 2];
		System.arraycopy(bytes, 0, overlong, 0, bytes.length);
		overlong[bytes.length] = (byte) 0xC0;
		overlong[bytes.length + 1] = (byte) 0x80;
		assertThat(Utf8Check.firstMalformed(overlong, 0, overlong.length)).isEqualTo(bytes.length);
		assertThat(Utf8Check.firstMalformed(overlong, 0, bytes.length - 2)).isEqualTo(10);
	}

	private static boolean decodesStrictly(byte[] bytes) {
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

}
