package io.agentkit.sync.endpoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.agentkit.sync.LogText;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameter;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameters;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * Refuses a {@code POST} to the {@code agentkitsync} endpoint whose arguments the sync
 * operation does not take, with {@code 400} and the usual answer ({@code outcome}
 * {@code FAILED}, the version in force, and an {@code error} that names the problem and
 * the request to send), and runs no cycle. Actuator binds a write operation's arguments by
 * name from the JSON body and the query, ignoring the names it does not know and
 * converting the values it can: without this check {@code {"forced": true}} would run a
 * normal cycle, {@code {"force": 1}} a full pull, and {@code {"force": "maybe"}} would be
 * answered with a bare {@code 400}.
 * <p>
 * A boolean argument takes {@code true} or {@code false}, as JSON booleans or (from the
 * query, {@code ?force=true}) as text. The other operations pass unchanged, and so do the
 * calls over JMX, which name only the operation's parameters.
 */
public class ConfigSyncArgumentsAdvisor implements OperationInvokerAdvisor {

	/**
	 * The most unknown names an error lists.
	 */
	private static final int MAX_LISTED_NAMES = 3;

	private static final EndpointId ENDPOINT_ID = EndpointId.of(ConfigSyncEndpoint.ID);

	private final Supplier<@Nullable String> versionInForce;

	/**
	 * Create the advisor.
	 * @param versionInForce the version in force, which a refusal answers as a cycle's
	 * answer would
	 */
	public ConfigSyncArgumentsAdvisor(Supplier<@Nullable String> versionInForce) {
		this.versionInForce = versionInForce;
	}

	@Override
	public OperationInvoker apply(EndpointId endpointId, OperationType operationType, OperationParameters parameters,
			OperationInvoker invoker) {
		if (!ENDPOINT_ID.equals(endpointId) || operationType != OperationType.WRITE) {
			return invoker;
		}
		Map<String, OperationParameter> taken = new LinkedHashMap<>();
		parameters.forEach((parameter) -> taken.put(parameter.getName(), parameter));
		return (context) -> {
			String problem = problemOf(context.getArguments(), taken);
			return (problem != null) ? refusal(problem) : invoker.invoke(context);
		};
	}

	private @Nullable String problemOf(Map<String, @Nullable Object> arguments, Map<String, OperationParameter> taken) {
		List<String> unknown = new ArrayList<>();
		for (String name : arguments.keySet()) {
			if (!taken.containsKey(name)) {
				unknown.add(name);
			}
		}
		if (!unknown.isEmpty()) {
			return "the request has " + listed(unknown) + ", which the endpoint does not take. It takes "
					+ listed(taken.keySet()) + ": " + ConfigSyncEndpoint.HOW_TO_ASK;
		}
		for (OperationParameter parameter : taken.values()) {
			Object value = arguments.get(parameter.getName());
			if (isBoolean(parameter) && value != null && !isBooleanValue(value)) {
				return ConfigSyncEndpoint.quoted(parameter.getName()) + " must be true or false, not " + described(value)
						+ ": " + ConfigSyncEndpoint.HOW_TO_ASK;
			}
		}
		return null;
	}

	private static boolean isBoolean(OperationParameter parameter) {
		return parameter.getType() == Boolean.class || parameter.getType() == boolean.class;
	}

	private static boolean isBooleanValue(Object value) {
		if (value instanceof Boolean) {
			return true;
		}
		if (value instanceof String text) {
			return text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false");
		}
		return false;
	}

	private static String listed(Collection<String> names) {
		StringBuilder list = new StringBuilder();
		int shown = Math.min(names.size(), MAX_LISTED_NAMES);
		int index = 0;
		for (String name : names) {
			if (index == shown) {
				break;
			}
			if (index > 0) {
				list.append((index == names.size() - 1) ? " and " : ", ");
			}
			list.append(ConfigSyncEndpoint.quoted(name));
			index++;
		}
		if (names.size() > shown) {
			list.append(" and ").append(names.size() - shown).append(" more");
		}
		return list.toString();
	}

	private static String described(Object value) {
		if (value instanceof String text) {
			return ConfigSyncEndpoint.quoted(text);
		}
		if (value instanceof Collection<?> values) {
			return values.size() + " values (it is given more than once)";
		}
		return LogText.of(value, ConfigSyncEndpoint.MAX_QUOTED_LENGTH);
	}

	private WebEndpointResponse<Map<String, @Nullable Object>> refusal(String problem) {
		return new WebEndpointResponse<>(ConfigSyncEndpoint.refusalOf(this.versionInForce.get(), problem),
				WebEndpointResponse.STATUS_BAD_REQUEST);
	}

}
