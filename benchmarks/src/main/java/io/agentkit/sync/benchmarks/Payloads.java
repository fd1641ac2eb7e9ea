package io.agentkit.sync.benchmarks;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.SplittableRandom;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Realistic {@code /api/v1/config/all} bodies, made the same way every time: skills of
 * about 500 bytes of JSON each ({@code name}, {@code description}, {@code model},
 * {@code prompt}, {@code tools}, {@code parameters} and a few small fields), one workflow
 * for every hundred skills. Each size comes in two variants that differ only in their
 * version, so a client that pulls again and again sees a new version each time.
 */
public final class Payloads {

	/**
	 * The sizes the server offers, in skills.
	 */
	public static final List<Integer> SIZES = List.of(100, 1_000, 10_000, 50_000, 100_000);

	private static final String[] WORDS = { "summarise", "the", "customer", "ticket", "and", "extract", "intent",
			"classify", "invoice", "lines", "by", "cost", "centre", "translate", "reply", "in", "a", "friendly",
			"tone", "check", "policy", "compliance", "for", "each", "clause", "draft", "release", "notes", "from",
			"commits", "détecter", "anomalies", "report", "weekly", "metrics", "to", "stakeholders" };

	private static final String[] MODELS = { "gpt-4o-mini", "claude-3-5-sonnet", "llama-3.1-70b-instruct",
			"mistral-large-2407" };

	private static final String[] TOOLS = { "web_search", "calculator", "sql_query", "send_email", "read_file",
			"http_get", "vector_search", "calendar" };

	private static final String[] TAGS = { "finance", "support", "legal", "engineering", "sales", "ops" };

	private static final String SYNCED_AT = "2026-01-15T09:30:00+00:00";

	private Payloads() {
	}

	/**
	 * Make the body of {@code /api/v1/config/all} for the given number of skills.
	 * @param skills the number of skills
	 * @param variant {@code 0} or {@code 1}: the two variants differ only in version
	 * @return the UTF-8 JSON body
	 */
	public static byte[] body(int skills, int variant) {
		JsonMapper mapper = JsonMapper.builder().build();
		ByteArrayOutputStream out = new ByteArrayOutputStream(skills * 520 + 1024);
		try (JsonGenerator generator = mapper.createGenerator(out)) {
			generator.writeStartObject();
			generator.writeName("version");
			generator.writeString(version(skills, variant));
			generator.writeName("skills");
			generator.writeStartArray();
			SplittableRandom random = new SplittableRandom(42);
			for (int i = 0; i < skills; i++) {
				writeSkill(generator, i, random);
			}
			generator.writeEndArray();
			generator.writeName("workflows");
			generator.writeStartArray();
			for (int i = 0; i < Math.max(1, skills / 100); i++) {
				writeWorkflow(generator, i, skills, random);
			}
			generator.writeEndArray();
			generator.writeName("synced_at");
			generator.writeString(SYNCED_AT);
			generator.writeEndObject();
		}
		return out.toByteArray();
	}

	/**
	 * Return the version of a body.
	 * @param skills the number of skills
	 * @param variant {@code 0} or {@code 1}
	 * @return the version string
	 */
	public static String version(int skills, int variant) {
		return "sha256-" + Integer.toHexString(skills * 31 + 7) + ((variant == 0) ? "a1f09c" : "b7e24d");
	}

	/**
	 * Return the name of a skill.
	 * @param index the skill's position
	 * @return its name
	 */
	public static String skillName(int index) {
		return String.format("skill-%06d", index);
	}

	private static void writeSkill(JsonGenerator generator, int index, SplittableRandom random) {
		generator.writeStartObject();
		generator.writeName("name");
		generator.writeString(skillName(index));
		generator.writeName("description");
		generator.writeString(sentence(random, 10 + random.nextInt(6)));
		generator.writeName("model");
		generator.writeString(MODELS[random.nextInt(MODELS.length)]);
		generator.writeName("prompt");
		generator.writeString("You are a careful assistant. " + sentence(random, 15 + random.nextInt(8))
				+ ". Input: {{input}}. Answer in JSON.");
		generator.writeName("tools");
		generator.writeStartArray();
		int tools = 1 + random.nextInt(3);
		for (int t = 0; t < tools; t++) {
			generator.writeString(TOOLS[random.nextInt(TOOLS.length)]);
		}
		generator.writeEndArray();
		generator.writeName("parameters");
		generator.writeStartObject();
		generator.writeName("temperature");
		generator.writeNumber(random.nextInt(10) / 10.0);
		generator.writeName("max_tokens");
		generator.writeNumber(256 << random.nextInt(4));
		generator.writeName("top_p");
		generator.writeNumber(0.9);
		generator.writeName("stop");
		generator.writeStartArray();
		generator.writeString("</answer>");
		generator.writeEndArray();
		generator.writeEndObject();
		generator.writeName("tags");
		generator.writeStartArray();
		generator.writeString(TAGS[random.nextInt(TAGS.length)]);
		generator.writeEndArray();
		generator.writeName("enabled");
		generator.writeBoolean(random.nextInt(10) != 0);
		generator.writeName("revision");
		generator.writeNumber(1 + random.nextInt(40));
		generator.writeEndObject();
	}

	private static void writeWorkflow(JsonGenerator generator, int index, int skills, SplittableRandom random) {
		generator.writeStartObject();
		generator.writeName("workflow_id");
		generator.writeString(String.format("wf-%05d", index));
		generator.writeName("description");
		generator.writeString(sentence(random, 10));
		generator.writeName("steps");
		generator.writeStartArray();
		for (int s = 0; s < 3; s++) {
			generator.writeStartObject();
			generator.writeName("skill");
			generator.writeString(skillName(random.nextInt(skills)));
			generator.writeName("retry");
			generator.writeNumber(random.nextInt(3));
			generator.writeEndObject();
		}
		generator.writeEndArray();
		generator.writeEndObject();
	}

	private static String sentence(SplittableRandom random, int words) {
		StringBuilder text = new StringBuilder();
		for (int w = 0; w < words; w++) {
			if (w > 0) {
				text.append(' ');
			}
			text.append(WORDS[random.nextInt(WORDS.length)]);
		}
		return text.toString();
	}

}
