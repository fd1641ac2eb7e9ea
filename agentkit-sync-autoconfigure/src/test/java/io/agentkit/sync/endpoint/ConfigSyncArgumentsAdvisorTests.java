package io.agentkit.sync.endpoint;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameters;
import org.springframework.boot.actuate.endpoint.invoke.reflect.OperationMethod;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConfigSyncArgumentsAdvisor}, on the parameters Actuator reads from
 * {@link ConfigSyncEndpoint}'s sync operation. The HTTP requests themselves are in
 * {@link ConfigSyncEndpointWebTests} and {@link ConfigSyncEndpointReactiveWebTests}.
 */
class ConfigSyncArgumentsAdvisorTests {

	private static final EndpointId ENDPOINT = EndpointId.of(ConfigSyncEndpoint.ID);

	private final ConfigSyncArgumentsAdvisor advisor = new ConfigSyncArgumentsAdvisor(() -> "v7");

	private final AtomicReference<Map<String, Object>> invokedWith = new AtomicReference<>();

	private final OperationInvoker operation = (context) -> {
		this.invokedWith.set(context.getArguments());
		return "ran";
	};

	@Test
	void argumentsTheOperationTakesReachIt() throws Exception {
		OperationInvoker checked = this.advisor.apply(ENDPOINT, OperationType.WRITE, syncParameters(), this.operation);
		// Over JMX the value comes typed; over HTTP as text from the query or a JSON boolean from the body.
		for (Object force : new Object[] { true, false, "true", "False", null }) {
			Map<String, Object> arguments = new HashMap<>();
			arguments.put("force", force);
			assertThat(checked.invoke(contextOf(arguments))).isEqualTo("ran");
			assertThat(this.invokedWith.get()).isEqualTo(arguments);
		}
		assertThat(checked.invoke(contextOf(Map.of()))).isEqualTo("ran");
	}

	@Test
	void unknownArgumentsAreRefusedWithTheVersionInForceAndAtMostThreeNamesListed() throws Exception {
		OperationInvoker checked = this.advisor.apply(ENDPOINT, OperationType.WRITE, syncParameters(), this.operation);
		Map<String, Object> arguments = new LinkedHashMap<>();
		for (String name : List.of("a", "b", "c", "d", "e")) {
			arguments.put(name, true);
		}
		Map<String, Object> answer = refused(checked.invoke(contextOf(arguments)));
		assertThat(answer).containsEntry("outcome", "FAILED")
			.containsEntry("version", "v7")
			.containsEntry("durationMs", 0L);
		assertThat((String) answer.get("error"))
			.startsWith("No sync ran: the request has \"a\", \"b\", \"c\" and 2 more, which the endpoint does not take."
					+ " It takes \"force\": send {\"force\": true}");
		assertThat(this.invokedWith.get()).isNull();
	}

	@Test
	void namesAndValuesFromTheRequestAreQuotedOnOneLineAndCut() throws Exception {
		OperationInvoker checked = this.advisor.apply(ENDPOINT, OperationType.WRITE, syncParameters(), this.operation);
		String name = "x\n".repeat(50);
		assertThat((String) refused(checked.invoke(contextOf(Map.of(name, true)))).get("error"))
			.contains("\"" + "x\\n".repeat(30) + "... (100 characters)\"")
			.doesNotContain("\n");
		assertThat((String) refused(checked.invoke(contextOf(Map.of("force", 2.5)))).get("error"))
			.contains("must be true or false, not 2.5:");
		assertThat((String) refused(checked.invoke(contextOf(Map.of("force", List.of("true", "false"))))).get("error"))
			.contains("not 2 values (it is given more than once)");
		assertThat(this.invokedWith.get()).isNull();
	}

	@Test
	void otherOperationsAndOtherEndpointsAreNotAdvised() throws Exception {
		OperationParameters parameters = syncParameters();
		assertThat(this.advisor.apply(ENDPOINT, OperationType.READ, parameters, this.operation)).isSameAs(this.operation);
		assertThat(this.advisor.apply(EndpointId.of("health"), OperationType.WRITE, parameters, this.operation))
			.isSameAs(this.operation);
	}

	private static OperationParameters syncParameters() throws NoSuchMethodException {
		return new OperationMethod(ConfigSyncEndpoint.class.getMethod("sync", Boolean.class), OperationType.WRITE)
			.getParameters();
	}

	private static InvocationContext contextOf(Map<String, Object> arguments) {
		return new InvocationContext(SecurityContext.NONE, arguments);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> refused(Object answer) {
		assertThat(answer).isInstanceOf(WebEndpointResponse.class);
		WebEndpointResponse<Map<String, Object>> response = (WebEndpointResponse<Map<String, Object>>) answer;
		assertThat(response.getStatus()).isEqualTo(400);
		return response.getBody();
	}

}
