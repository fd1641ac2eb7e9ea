package io.agentkit.sync;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binds skills and workflows of one snapshot to user types, once per item and type:
 * later reads of the same binding return the same instance. Unknown fields are
 * tolerated. Thread-safe.
 */
final class TypedBindings {

	private final JsonMapper jsonMapper;

	private final Map<Key, Object> bindings = new ConcurrentHashMap<>();

	TypedBindings(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	<T> T bind(String kind, String key, Map<String, @Nullable Object> item, Class<T> type) {
		Object bound = this.bindings.get(new Key(kind, key, type));
		if (bound == null) {
			bound = convert(kind, key, item, type);
			Object existing = this.bindings.putIfAbsent(new Key(kind, key, type), bound);
			bound = (existing != null) ? existing : bound;
		}
		return type.cast(bound);
	}

	private <T> T convert(String kind, String key, Map<String, @Nullable Object> item, Class<T> type) {
		try {
			JsonNode tree = this.jsonMapper.valueToTree(item);
			return this.jsonMapper.readerFor(type)
				.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
				.readValue(tree);
		}
		catch (JacksonException ex) {
			String field = ex.getPath().isEmpty() ? "" : " at field '" + path(ex) + "'";
			throw new ConfigBindingException("The " + kind + " '" + key + "' cannot be bound to " + type.getName()
					+ field + ": " + ex.getOriginalMessage(), ex);
		}
	}

	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append((path.length() > 0) ? "." : "").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private record Key(String kind, String key, Class<?> type) {

	}

}
