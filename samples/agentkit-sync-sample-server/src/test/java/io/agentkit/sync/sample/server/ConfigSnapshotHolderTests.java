package io.agentkit.sync.sample.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ConfigSnapshotHolder}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigSnapshotHolderTests {

	@TempDir
	Path root;

	@Test
	void logsFolderCountsAndVersionAtStartup(CapturedOutput output) throws IOException {
		ConfigFolderTests.write(this.root, "skills/a.json", "{\"name\":\"a\"}");
		ConfigFolderTests.write(this.root, "workflows/w.json", "{\"workflow_id\":\"w\"}");
		ConfigSnapshotHolder holder = new ConfigSnapshotHolder(new ConfigFolder(this.root));
		assertThat(output).contains("Serving configuration from " + this.root.toAbsolutePath())
			.contains("1 skill, 1 workflow, version " + holder.get().version());
	}

	@Test
	void warnsAboutMissingFolder(CapturedOutput output) {
		ConfigSnapshotHolder holder = new ConfigSnapshotHolder(new ConfigFolder(this.root.resolve("missing")));
		assertThat(output).contains("WARN").contains(this.root.resolve("missing").toAbsolutePath().toString());
		assertThat(holder.get().version()).isEqualTo("e3b0c44298fc1c14");
		assertThat(holder.get().allBody()).asString().contains("\"skills\":[]").contains("\"workflows\":[]");
	}

	@Test
	void returnsSameSnapshotWhileNothingChanges() throws IOException {
		ConfigFolderTests.write(this.root, "skills/a.json", "{\"name\":\"a\"}");
		ConfigSnapshotHolder holder = new ConfigSnapshotHolder(new ConfigFolder(this.root));
		assertThat(holder.get()).isSameAs(holder.get());
	}

	@Test
	void reloadsWhenAFileChanges(CapturedOutput output) throws IOException {
		ConfigFolderTests.write(this.root, "skills/a.json", "{\"name\":\"a\"}");
		ConfigSnapshotHolder holder = new ConfigSnapshotHolder(new ConfigFolder(this.root));
		ConfigFolderSnapshot first = holder.get();
		ConfigFolderTests.write(this.root, "skills/b.json", "{\"name\":\"b\"}");
		ConfigFolderSnapshot second = holder.get();
		assertThat(second.version()).isNotEqualTo(first.version());
		assertThat(second.skillCount()).isEqualTo(2);
		assertThat(second.syncedAt()).isAfter(first.syncedAt());
		assertThat(output).contains("Loaded new configuration: 2 skills, 0 workflows, version " + second.version());
	}

	@Test
	void keepsTheSnapshotWhenOnlyTheModificationTimeChanges() throws IOException {
		ConfigFolderTests.write(this.root, "skills/a.json", "{\"name\":\"a\"}");
		ConfigSnapshotHolder holder = new ConfigSnapshotHolder(new ConfigFolder(this.root));
		ConfigFolderSnapshot first = holder.get();
		Files.setLastModifiedTime(this.root.resolve("skills/a.json"), FileTime.from(Instant.now().plusSeconds(60)));
		assertThat(holder.get()).isSameAs(first);
	}

	@Test
	void keepsTheLastValidSnapshotWhileAFileIsInvalid(CapturedOutput output) throws IOException {
		ConfigFolderTests.write(this.root, "skills/a.json", "{\"name\":\"a\"}");
		ConfigFolderTests.write(this.root, "skills/b.json", "{\"name\":\"b\"}");
		ConfigSnapshotHolder holder = new ConfigSnapshotHolder(new ConfigFolder(this.root));
		ConfigFolderSnapshot valid = holder.get();
		ConfigFolderTests.write(this.root, "skills/b.json", "{\"name\":\"b\",");
		assertThat(holder.get()).isSameAs(valid);
		assertThat(holder.get()).isSameAs(valid);
		assertThat(output).containsOnlyOnce("Keeping version " + valid.version() + " served: the configuration "
				+ "folder has an invalid file: skills/b.json is not valid JSON");
		ConfigFolderTests.write(this.root, "skills/b.json", "{\"name\":\"b\",\"model\":\"m\"}");
		ConfigFolderSnapshot fixed = holder.get();
		assertThat(fixed.version()).isNotEqualTo(valid.version());
		assertThat(fixed.skillCount()).isEqualTo(2);
	}

	@Test
	void servesNothingWhenTheFolderIsInvalidFromTheStart(CapturedOutput output) throws IOException {
		ConfigFolderTests.write(this.root, "skills/a.json", "{\"name\":\"a\"}");
		ConfigFolderTests.write(this.root, "skills/b.json", "[]");
		ConfigFolderTests.write(this.root, "workflows/w.json", "{}");
		ConfigSnapshotHolder holder = new ConfigSnapshotHolder(new ConfigFolder(this.root));
		assertThat(output).contains("Serving no configuration (HTTP 503): the configuration folder has 2 invalid "
				+ "files: skills/b.json is not a JSON object; workflows/w.json has no string field 'workflow_id'");
		assertThatExceptionOfType(InvalidConfigFolderException.class).isThrownBy(holder::get)
			.withMessageContaining("skills/b.json")
			.withMessageContaining(this.root.toAbsolutePath().toString());
		ConfigFolderTests.write(this.root, "skills/b.json", "{\"name\":\"b\"}");
		ConfigFolderTests.write(this.root, "workflows/w.json", "{\"workflow_id\":\"w\"}");
		assertThat(holder.get().skillCount()).isEqualTo(2);
	}

}
