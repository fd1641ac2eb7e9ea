package io.agentkit.sync.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.agentkit.sync.ConfigDocument;
import io.agentkit.sync.ConfigDocumentReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Tests of {@link SqliteConfigCacheRepository} on cache files damaged at random, as a
 * failing disk or a stray write would damage them: bytes flipped, a run of bytes
 * overwritten or zeroed, the file cut short, its header hit. Whatever the damage, a load
 * gives a valid document, nothing, or a {@link ConfigCacheException} that says why, and
 * the next save writes a cache that loads.
 */
class CorruptCacheFileTests {

	private static final int FILES = 600;

	private final ConfigDocumentReader reader = new ConfigDocumentReader();

	@TempDir
	Path tempDir;

	@Test
	@Timeout(value = 5, unit = TimeUnit.MINUTES)
	void damagedCacheFileLoadsAsAValidDocumentOrIsRefusedAndTheNextSaveHealsIt() throws IOException {
		ConfigDocument cached = this.reader.readAll(body("v1", 400));
		ConfigDocument next = this.reader.readAll(body("v2", 10));
		int refused = 0;
		for (int seed = 0; seed < FILES; seed++) {
			Path file = this.tempDir.resolve("cache-" + seed + ".db");
			repository(file).save(cached);
			SplittableRandom random = new SplittableRandom(seed);
			String damage = damage(file, random);
			SqliteConfigCacheRepository repository = repository(file);
			try {
				Optional<ConfigDocument> loaded = repository.load();
				loaded.ifPresent((document) -> assertThat(document.snapshot().version()).as(damage).isNotBlank());
			}
			catch (ConfigCacheException ex) {
				refused++;
				assertThat(ex.getMessage()).as(damage).contains(file.toString());
			}
			catch (RuntimeException ex) {
				fail("the load of a cache file with " + damage + " (seed " + seed + ") failed with " + ex, ex);
			}
			try {
				repository.save(next);
			}
			catch (RuntimeException ex) {
				fail("the save over a cache file with " + damage + " (seed " + seed + ") failed with " + ex, ex);
			}
			assertThat(repository(file).load()).as(damage)
				.hasValueSatisfying((document) -> assertThat(document.snapshot().version()).isEqualTo("v2"));
		}
		// Most damage is found; some falls on bytes no read needs.
		assertThat(refused).isPositive();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("headerDamage")
	void cacheFileWhoseHeaderIsDamagedIsSetAsideAtTheSaveAndWrittenAnew(String field, int offset, int value)
			throws IOException {
		Path file = this.tempDir.resolve("cache.db");
		repository(file).save(this.reader.readAll(body("v1", 3)));
		byte[] bytes = Files.readAllBytes(file);
		bytes[offset] = (byte) value;
		Files.write(file, bytes);
		SqliteConfigCacheRepository repository = repository(file);
		try {
			repository.load();
		}
		catch (ConfigCacheException ex) {
			assertThat(ex).hasMessageContaining("cannot be used: it is not a readable SQLite database")
				.hasMessageContaining("Moved it to " + file + ".corrupt-");
		}
		repository.save(this.reader.readAll(body("v2", 3)));
		assertThat(repository(file).load()).hasValueSatisfying(
				(document) -> assertThat(document.snapshot().version()).isEqualTo("v2"));
		assertThat(SqliteConfigCacheRepositoryTests.quarantined(file)).hasSize(1);
	}

	static Stream<Arguments> headerDamage() {
		// A write version SQLite does not know opens the file read-only; a schema format it does not know fails
		// with "unsupported file format": neither is reported as corruption.
		return Stream.of(arguments("write version", 18, 7), arguments("read version", 19, 9),
				arguments("schema format", 47, 34), arguments("page size", 17, 3));
	}

	@Test
	void cacheFileCutShortIsSetAsideAtTheLoad() throws IOException {
		// Cut within the last of its 64 KiB pages: SQLite reads fewer bytes than a page, an I/O error.
		Path file = this.tempDir.resolve("cache.db");
		repository(file).save(this.reader.readAll(body("v1", 400)));
		byte[] bytes = Files.readAllBytes(file);
		Files.write(file, Arrays.copyOf(bytes, bytes.length - 40_000));
		SqliteConfigCacheRepository repository = repository(file);
		assertThatExceptionOfType(ConfigCacheException.class).isThrownBy(repository::load)
			.withMessageContaining("cannot be used: it is not a readable SQLite database ([SQLITE_IOERR_SHORT_READ]")
			.withMessageContaining("Moved it to " + file + ".corrupt-");
		assertThat(SqliteConfigCacheRepositoryTests.quarantined(file)).hasSize(1);
	}

	private static String damage(Path file, SplittableRandom random) throws IOException {
		byte[] bytes = Files.readAllBytes(file);
		int at = random.nextInt(bytes.length);
		String damage;
		switch (random.nextInt(5)) {
			case 0 -> {
				int flips = 1 + random.nextInt(8);
				for (int i = 0; i < flips; i++) {
					bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
				}
				damage = flips + " bits flipped";
			}
			case 1 -> {
				int length = Math.min(512, bytes.length - at);
				for (int i = at; i < at + length; i++) {
					bytes[i] = (byte) random.nextInt(256);
				}
				damage = length + " bytes overwritten at " + at;
			}
			case 2 -> {
				int start = at & ~4095;
				Arrays.fill(bytes, start, Math.min(start + 4096, bytes.length), (byte) 0);
				damage = "4 KiB zeroed at " + start;
			}
			case 3 -> {
				bytes = Arrays.copyOf(bytes, at);
				damage = "the file cut at " + at + " bytes";
			}
			default -> {
				int place = random.nextInt(100);
				bytes[place] = (byte) random.nextInt(256);
				damage = "header byte " + place + " overwritten";
			}
		}
		Files.write(file, bytes);
		return damage;
	}

	private static byte[] body(String version, int skills) {
		StringBuilder body = new StringBuilder("{\"version\": \"" + version + "\", \"skills\": [");
		for (int i = 0; i < skills; i++) {
			body.append((i > 0) ? ", " : "")
				.append("{\"name\": \"skill-")
				.append(i)
				.append("\", \"prompt\": \"")
				.append("Answer briefly. ".repeat(8))
				.append("\", \"limit\": ")
				.append(i)
				.append('}');
		}
		body.append("], \"workflows\": [{\"workflow_id\": \"w\"}], \"synced_at\": \"2026-12-04T10:00:00Z\"}");
		return body.toString().getBytes(StandardCharsets.UTF_8);
	}

	private SqliteConfigCacheRepository repository(Path file) {
		return new SqliteConfigCacheRepository(file, this.reader, Clock.systemUTC(), 10_000);
	}

}
