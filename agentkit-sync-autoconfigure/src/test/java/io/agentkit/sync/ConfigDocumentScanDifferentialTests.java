package io.agentkit.sync;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Tests that {@link ConfigDocumentReader#scanAll(byte[])}, which goes over the bytes of a
 * body without parsing its items, finds the same parts as a full read, over generated
 * bodies: every kind of JSON value at any depth, strings with every escape and
 * characters of one to four UTF-8 bytes, the parts in any order among unknown members,
 * repeated members and any whitespace; and that on the same bodies broken (truncated, a
 * byte dropped, doubled, or replaced by one that means something in JSON or by any byte) the scan either
 * finds the parts a full read finds or refuses the body as the full read does, never
 * failing otherwise.
 */
class ConfigDocumentScanDifferentialTests {

	private static final int BODIES = 3_000;

	private static final String[] TRICKY_CHARACTERS = { "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t",
			"\\u0041", "\\u00e9", "\\ud83d\\ude42", "\\u005c", "\\u0022", "{", "}", "[", "]", ",", ":", "\\\"skills\\\"",
			"é", "日", "🙂", " ", "a", "z", "0", "\u007f" };

	private static final String[] WHITESPACE = { "", "", "", " ", "\n", "\t", "\r\n", "  " };

	private static final byte[] MEANINGFUL_BYTES = "\"\\{}[],: 0-e.\n".getBytes(StandardCharsets.US_ASCII);

	private final ConfigDocumentReader reader = new ConfigDocumentReader();

	@Test
	void scanOfGeneratedBodiesFindsThePartsAFullReadFinds() {
		for (int seed = 0; seed < BODIES; seed++) {
			byte[] body = new BodyWriter(new SplittableRandom(seed)).body();
			ConfigParts read;
			try {
				read = this.reader.readAll(body).parts();
			}
			catch (InvalidConfigurationException ex) {
				throw new AssertionError("generated body " + seed + " refused: " + text(body), ex);
			}
			assertThat(this.reader.scanAll(body)).as("body %d: %s", seed, text(body)).isEqualTo(read);
		}
	}

	@Test
	void scanOfBrokenBodiesFindsThePartsAFullReadFindsOrRefusesThem() {
		int refused = 0;
		for (int seed = 0; seed < BODIES; seed++) {
			SplittableRandom random = new SplittableRandom(seed);
			byte[] body = broken(new BodyWriter(random).body(), random);
			ConfigParts read;
			try {
				read = this.reader.readAll(body).parts();
			}
			catch (InvalidConfigurationException ex) {
				refused++;
				try {
					// Allowed to find parts the full read then refuses: only the full read validates.
					this.reader.scanAll(body);
				}
				catch (InvalidConfigurationException expected) {
					// As the full read did.
				}
				catch (RuntimeException unexpected) {
					fail("the scan of broken body " + seed + " failed with " + unexpected + ": " + text(body));
				}
				continue;
			}
			assertThat(this.reader.scanAll(body)).as("body %d: %s", seed, text(body)).isEqualTo(read);
		}
		// Most breaks make a body invalid, some leave it valid: both kinds were tried.
		assertThat(refused).isBetween(BODIES / 4, BODIES - BODIES / 20);
	}

	private static byte[] broken(byte[] body, SplittableRandom random) {
		int at = random.nextInt(body.length);
		byte[] broken;
		switch (random.nextInt(5)) {
			case 0 -> broken = Arrays.copyOf(body, at);
			case 1 -> {
				broken = new byte[body.length - 1];
				System.arraycopy(body, 0, broken, 0, at);
				System.arraycopy(body, at + 1, broken, at, body.length - at - 1);
			}
			case 2 -> {
				broken = new byte[body.length + 1];
				System.arraycopy(body, 0, broken, 0, at + 1);
				System.arraycopy(body, at, broken, at + 1, body.length - at);
			}
			case 3 -> {
				broken = body.clone();
				broken[at] = MEANINGFUL_BYTES[random.nextInt(MEANINGFUL_BYTES.length)];
			}
			default -> {
				// Any byte: a control character, or one that breaks the UTF-8 of a character.
				broken = body.clone();
				broken[at] = (byte) random.nextInt(256);
			}
		}
		return broken;
	}

	private static String text(byte[] body) {
		return new String(body, StandardCharsets.UTF_8);
	}

	/**
	 * Writes one generated body of {@code /api/v1/config/all}.
	 */
	private static final class BodyWriter {

		private final SplittableRandom random;

		private final StringBuilder json = new StringBuilder();

		BodyWriter(SplittableRandom random) {
			this.random = random;
		}

		byte[] body() {
			List<Runnable> members = new ArrayList<>();
			members.add(() -> member("version", () -> string(1)));
			if (this.random.nextInt(4) != 0) {
				members.add(() -> member("skills", () -> items("name")));
			}
			if (this.random.nextInt(4) != 0) {
				members.add(() -> member("workflows", () -> items("workflow_id")));
			}
			if (this.random.nextInt(3) != 0) {
				members.add(() -> member("synced_at", this::syncedAt));
			}
			int unknown = this.random.nextInt(4);
			for (int i = 0; i < unknown; i++) {
				members.add(() -> member(this.random.nextBoolean() ? "skills_v2" : "x" + this.random.nextInt(100),
						() -> value(3)));
			}
			if (this.random.nextInt(8) == 0) {
				// A repeated part: the last one counts, for the scan as for the parser.
				members.add(members.get(this.random.nextInt(members.size())));
			}
			Collections.shuffle(members, new Random(this.random.nextLong()));
			space();
			this.json.append('{');
			for (int i = 0; i < members.size(); i++) {
				if (i > 0) {
					this.json.append(',');
				}
				members.get(i).run();
			}
			space();
			this.json.append('}');
			space();
			return this.json.toString().getBytes(StandardCharsets.UTF_8);
		}

		private void member(String name, Runnable value) {
			space();
			this.json.append('"').append(name).append('"');
			space();
			this.json.append(':');
			space();
			value.run();
			space();
		}

		private void items(String key) {
			array(() -> {
				this.json.append('{');
				member(key, () -> string(0));
				int fields = this.random.nextInt(3);
				for (int field = 0; field < fields; field++) {
					this.json.append(',');
					member("f" + field, () -> value(3));
				}
				this.json.append('}');
			});
		}

		/**
		 * Write an array of up to three elements, each written by the given writer.
		 */
		private void array(Runnable element) {
			int count = this.random.nextInt(4);
			this.json.append('[');
			for (int i = 0; i < count; i++) {
				if (i > 0) {
					this.json.append(',');
				}
				space();
				element.run();
				space();
			}
			this.json.append(']');
		}

		private void syncedAt() {
			switch (this.random.nextInt(4)) {
				case 0 -> this.json.append("null");
				case 1 -> this.json.append("\"2026-12-04T10:15:30Z\"");
				case 2 -> value(2);
				default -> string(0);
			}
		}

		private void value(int depth) {
			int kind = this.random.nextInt((depth > 0) ? 8 : 6);
			switch (kind) {
				case 0 -> this.json.append("null");
				case 1 -> this.json.append(this.random.nextBoolean());
				case 2 -> this.json.append(this.random.nextInt(-1000, 1000));
				case 3 -> this.json.append(
						List.of("-0.5", "1e3", "2.5E-7", "12345678901234567890", "-1.25e+300", "0")
							.get(this.random.nextInt(6)));
				case 4, 5 -> string(0);
				case 6 -> array(() -> value(depth - 1));
				default -> {
					int count = this.random.nextInt(4);
					this.json.append('{');
					for (int i = 0; i < count; i++) {
						if (i > 0) {
							this.json.append(',');
						}
						member("k" + i + TRICKY_CHARACTERS[this.random.nextInt(TRICKY_CHARACTERS.length)],
								() -> value(depth - 1));
					}
					this.json.append('}');
				}
			}
		}

		/**
		 * Write a string of at least the given number of characters that are not blank.
		 */
		private void string(int atLeast) {
			this.json.append('"');
			for (int i = 0; i < atLeast; i++) {
				this.json.append((char) ('a' + this.random.nextInt(26)));
			}
			int length = this.random.nextInt(12);
			for (int i = 0; i < length; i++) {
				this.json.append(TRICKY_CHARACTERS[this.random.nextInt(TRICKY_CHARACTERS.length)]);
			}
			this.json.append('"');
		}

		private void space() {
			this.json.append(WHITESPACE[this.random.nextInt(WHITESPACE.length)]);
		}

	}

}
