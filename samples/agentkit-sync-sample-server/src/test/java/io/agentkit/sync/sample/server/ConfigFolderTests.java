package io.agentkit.sync.sample.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.agentkit.sync.sample.server.ConfigFolder.Content;
import io.agentkit.sync.sample.server.ConfigFolder.FileStamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConfigFolder}.
 */
class ConfigFolderTests {

	@TempDir
	Path root;

	@Test
	void hashDoesNotDependOnOrder() {
		Map<String, byte[]> ordered = new LinkedHashMap<>();
		ordered.put("skills/a.json", bytes("{\"name\":\"a\"}"));
		ordered.put("skills/b.json", bytes("{\"name\":\"b\"}"));
		ordered.put("workflows/w.json", bytes("{\"workflow_id\":\"w\"}"));
		Map<String, byte[]> reversed = new LinkedHashMap<>();
		reversed.put("workflows/w.json", bytes("{\"workflow_id\":\"w\"}"));
		reversed.put("skills/b.json", bytes("{\"name\":\"b\"}"));
		reversed.put("skills/a.json", bytes("{\"name\":\"a\"}"));
		assertThat(ConfigFolder.hash(ordered)).matches("[0-9a-f]{16}").isEqualTo(ConfigFolder.hash(reversed));
	}

	@Test
	void hashDependsOnNamesAndContents() {
		String hash = ConfigFolder.hash(Map.of("skills/a.json", bytes("{}")));
		assertThat(ConfigFolder.hash(Map.of("skills/b.json", bytes("{}")))).isNotEqualTo(hash);
		assertThat(ConfigFolder.hash(Map.of("skills/a.json", bytes("{ }")))).isNotEqualTo(hash);
		assertThat(ConfigFolder.hash(Map.of("skills/a.json", bytes("{}"), "skills/b.json", bytes(""))))
			.isNotEqualTo(hash);
	}

	@Test
	void hashOfNothingIsSha256OfNothing() {
		assertThat(ConfigFolder.hash(Map.of())).isEqualTo("e3b0c44298fc1c14");
	}

	@Test
	void versionDoesNotDependOnFileCreationOrder(@TempDir Path other) throws IOException {
		write(this.root, "skills/a.json", "{\"name\":\"a\"}");
		write(this.root, "skills/b.json", "{\"name\":\"b\"}");
		write(this.root, "workflows/w.json", "{\"workflow_id\":\"w\"}");
		write(other, "workflows/w.json", "{\"workflow_id\":\"w\"}");
		write(other, "skills/b.json", "{\"name\":\"b\"}");
		write(other, "skills/a.json", "{\"name\":\"a\"}");
		assertThat(new ConfigFolder(this.root).load().version()).isEqualTo(new ConfigFolder(other).load().version());
	}

	@Test
	void loadKeepsFieldsAsWritten() throws IOException {
		String skill = "{\"name\":\"summarize\",\"model\":\"m\",\"tools\":[\"x\"],"
				+ "\"parameters\":{\"temperature\":0.20,\"max_tokens\":600}}";
		write(this.root, "skills/summarize.json", skill);
		write(this.root, "workflows/digest.json", "{\"workflow_id\":\"digest\",\"steps\":[{\"skill\":\"summarize\"}]}");
		Content content = new ConfigFolder(this.root).load();
		assertThat(content.skills()).map(ObjectNode::toString).containsExactly(skill);
		assertThat(content.workflows()).map(ObjectNode::toString)
			.containsExactly("{\"workflow_id\":\"digest\",\"steps\":[{\"skill\":\"summarize\"}]}");
	}

	@Test
	void loadNamesEachInvalidFile() throws IOException {
		write(this.root, "skills/good.json", "{\"name\":\"good\"}");
		write(this.root, "skills/broken.json", "{\"name\":");
		write(this.root, "skills/trailing.json", "{\"name\":\"trailing\"} x");
		write(this.root, "skills/array.json", "[{\"name\":\"array\"}]");
		write(this.root, "skills/nameless.json", "{\"description\":\"no name\"}");
		write(this.root, "skills/numeric.json", "{\"name\":42}");
		write(this.root, "workflows/flow.json", "{\"workflow_id\":\"flow\"}");
		write(this.root, "workflows/no-id.json", "{\"name\":\"flow\"}");
		write(this.root, "skills/notes.txt", "ignored");
		Content content = new ConfigFolder(this.root).load();
		assertThat(content.isValid()).isFalse();
		assertThat(content.skills()).map((skill) -> skill.get("name").stringValue()).containsExactly("good");
		assertThat(content.workflows()).map((workflow) -> workflow.get("workflow_id").stringValue())
			.containsExactly("flow");
		assertThat(content.problems()).satisfiesExactly(
				(problem) -> assertThat(problem).startsWith("skills/array.json is not a JSON object"),
				(problem) -> assertThat(problem).startsWith("skills/broken.json is not valid JSON ("),
				(problem) -> assertThat(problem).isEqualTo("skills/nameless.json has no string field 'name'"),
				(problem) -> assertThat(problem).isEqualTo("skills/numeric.json has no string field 'name'"),
				(problem) -> assertThat(problem).startsWith("skills/trailing.json is not valid JSON ("),
				(problem) -> assertThat(problem).isEqualTo("workflows/no-id.json has no string field 'workflow_id'"));
	}

	@Test
	void loadNamesALaterDuplicate() throws IOException {
		write(this.root, "skills/b-copy.json", "{\"name\":\"same\",\"model\":\"second\"}");
		write(this.root, "skills/a-original.json", "{\"name\":\"same\",\"model\":\"first\"}");
		Content content = new ConfigFolder(this.root).load();
		assertThat(content.skills()).map((skill) -> skill.get("model").stringValue()).containsExactly("first");
		assertThat(content.problems()).containsExactly("skills/b-copy.json repeats name 'same' of an earlier file");
	}

	@Test
	void missingFolderIsEmpty() {
		ConfigFolder folder = new ConfigFolder(this.root.resolve("missing"));
		assertThat(folder.exists()).isFalse();
		assertThat(folder.scan()).isEmpty();
		Content content = folder.load();
		assertThat(content.skills()).isEmpty();
		assertThat(content.workflows()).isEmpty();
		assertThat(content.version()).isEqualTo(ConfigFolder.hash(Map.of()));
	}

	@Test
	void scanListsJsonFilesInNameOrder() throws IOException {
		write(this.root, "workflows/w.json", "{}");
		write(this.root, "skills/b.json", "{}");
		write(this.root, "skills/a.json", "{\"name\":\"a\"}");
		write(this.root, "skills/.hidden.json", "{}");
		write(this.root, "skills/readme.md", "");
		List<FileStamp> stamps = new ConfigFolder(this.root).scan();
		assertThat(stamps).map(FileStamp::name).containsExactly("skills/a.json", "skills/b.json", "workflows/w.json");
		assertThat(stamps.get(0).size()).isEqualTo(12);
	}

	static void write(Path root, String name, String content) throws IOException {
		Path file = root.resolve(name);
		Files.createDirectories(file.getParent());
		Files.writeString(file, content);
	}

	private static byte[] bytes(String content) {
		return content.getBytes(StandardCharsets.UTF_8);
	}

}
