package dev.gatehouse.admin.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The admin API's OpenAPI 3.1 description ({@code /v3/api-docs}, {@code /swagger-ui.html}; admins only, see
 * the access package). Operations and their schemas come from the controllers and their records; what every
 * operation shares is added here once rather than annotated on each method: the security scheme, the
 * problem+json errors the filters and the exception handler return, and stable operation ids and tags.
 * {@code docs/openapi.json} is the published copy, kept equal to this by a system test.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String ADMIN_TOKEN = "adminToken";

	static final String RELAY_TOKEN = "outboundRelayToken";

	private static final String PROBLEM = "Problem";

	private static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;

	private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

	/** Operations anyone may call: their own credential (a pairing code) or nothing secret. */
	private static final Set<String> OPEN = Set.of("POST /api/terminals/pair", "GET /public/identity");

	/** Paths without variables that answer 404 when there is no identity yet. */
	private static final Set<String> ALSO_NOT_FOUND = Set.of("/api/identities/default", "/public/identity");

	/**
	 * The API's JSON is snake_case (spring.jackson.property-naming-strategy); the schema generator has a
	 * Jackson 2 mapper of its own, which must name properties the same way.
	 */
	@Bean
	ModelResolver snakeCaseModelResolver() {
		ObjectMapper mapper = Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
		return new ModelResolver(mapper).openapi31(true);
	}

	@Bean
	OpenAPI adminOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Gatehouse admin API")
				.version("v1")
				.description("Apps and their path rules, identities, pairing and terminals, peers, and the outbound relay. "
						+ "Every error is an RFC 9457 problem (application/problem+json)."))
			// a relative server: the document is the same whichever address the admin is reached at
			.servers(List.of(new Server().url("/").description("this admin-service")))
			.components(new Components()
				.addSecuritySchemes(ADMIN_TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP)
					.scheme("bearer")
					.description("GATEHOUSE_ADMIN_TOKEN, or a terminal's admin_token (from pairing or renewal)."))
				.addSecuritySchemes(RELAY_TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP)
					.scheme("bearer")
					.description("GATEHOUSE_ADMIN_OUTBOUND_TOKEN: opens the outbound relay and nothing else.")));
	}

	/** Operation ids and tags from the controller and method names, so the document is stable across builds. */
	@Bean
	OperationCustomizer stableOperationIds() {
		return (operation, handler) -> {
			String controller = handler.getBeanType().getSimpleName().replaceFirst("Controller$", "");
			String feature = Character.toLowerCase(controller.charAt(0)) + controller.substring(1);
			operation.setOperationId(feature + "." + handler.getMethod().getName());
			String pkg = handler.getBeanType().getPackageName();
			operation.setTags(List.of(pkg.substring(pkg.lastIndexOf('.') + 1)));
			return operation;
		};
	}

	/**
	 * Security and problem responses for every operation; which properties a response always has, and that a
	 * request's may be left out or null (the services answer 422 for what is missing).
	 */
	@Bean
	OpenApiCustomizer commonResponses() {
		return openApi -> {
			Set<String> responseSchemas = new TreeSet<>();
			openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
				String route = method + " " + path;
				if (path.startsWith("/internal/peers/")) {
					describeRelay(method, operation);
					return;
				}
				if (OPEN.contains(route)) {
					operation.setSecurity(List.of());
				}
				else {
					operation.setSecurity(List.of(new SecurityRequirement().addList(ADMIN_TOKEN)));
				}
				operation.getResponses()
					.values()
					.forEach(response -> referenced(openApi, response.getContent(), responseSchemas));
				addProblems(route, path, method, operation);
			}));
			addExamples(openApi);
			// springdoc replaces the components' schemas with the ones it generates: the problem is added here
			openApi.getComponents().addSchemas(PROBLEM, problemSchema());
			openApi.getComponents().getSchemas().forEach((name, schema) -> {
				if (responseSchemas.contains(name)) {
					alwaysPresent(schema);
				}
				else if (!PROBLEM.equals(name)) {
					allowNullForOptionalProperties(schema);
				}
			});
		};
	}

	/** Request examples for the operations whose bodies have rules (schemathesis sends them first, as well). */
	private static void addExamples(OpenAPI openApi) {
		Map<String, Object> identity = Map.of("name", "Home lab", "email", "admin@example.org", "description",
				"The family's installation");
		example(openApi, "/api/apps/{name}", PathItem.HttpMethod.PUT, "name", "notes",
				Map.of("paths", Map.of("/", Map.of("access", "private", "headers", Map.of("X-Ptl-User", "{{ auth.client_name }}")),
						"/public", Map.of("access", "public", "headers", Map.of())), "lifecycle",
						Map.of("always_on", false, "idle_for_stop", 3600)));
		example(openApi, "/api/identities", PathItem.HttpMethod.POST, null, null, identity);
		example(openApi, "/api/terminals/pair", PathItem.HttpMethod.POST, null, null,
				Map.of("code", "123456", "name", "Laptop"));
	}

	private static void example(OpenAPI openApi, String path, PathItem.HttpMethod method, String parameter,
			String parameterExample, Map<String, Object> body) {
		PathItem item = openApi.getPaths().get(path);
		Operation operation = (item != null) ? item.readOperationsMap().get(method) : null;
		if (operation == null) {
			throw new IllegalStateException("no operation %s %s to give an example to".formatted(method, path));
		}
		if (parameter != null) {
			operation.getParameters()
				.stream()
				.filter(candidate -> parameter.equals(candidate.getName()))
				.forEach(candidate -> candidate.setExample(parameterExample));
		}
		if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
			operation.getRequestBody().getContent().values().forEach(media -> media.setExample(body));
		}
	}

	/** Collects the component schemas a response's content refers to, transitively. */
	private static void referenced(OpenAPI openApi, Content content, Set<String> names) {
		if (content != null) {
			content.values().forEach(media -> referenced(openApi, media.getSchema(), names));
		}
	}

	private static void referenced(OpenAPI openApi, Schema<?> schema, Set<String> names) {
		if (schema == null) {
			return;
		}
		if (schema.get$ref() != null) {
			String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
			Schema<?> target = openApi.getComponents().getSchemas().get(name);
			if (names.add(name) && target != null) {
				referenced(openApi, target, names);
			}
			return;
		}
		referenced(openApi, schema.getItems(), names);
		if (schema.getAdditionalProperties() instanceof Schema<?> values) {
			referenced(openApi, values, names);
		}
		if (schema.getProperties() != null) {
			schema.getProperties().values().forEach(property -> referenced(openApi, property, names));
		}
	}

	/**
	 * The API writes every property of a response, null included (spring.jackson.default-property-inclusion:
	 * always); the few that may be null say so on their record component.
	 */
	private static void alwaysPresent(Schema<?> schema) {
		if (schema.getProperties() != null) {
			schema.setRequired(new ArrayList<>(schema.getProperties().keySet()));
		}
	}

	/**
	 * The relay's one handler takes every method and reads the raw path itself, so what springdoc cannot see is
	 * said here: the path variables, the relay token and the relay's own refusals (see the outbound package).
	 */
	private static void describeRelay(PathItem.HttpMethod method, Operation operation) {
		// an id per method rather than springdoc's order-dependent suffixes
		operation.setOperationId("outboundRelay." + method.name().toLowerCase(Locale.ROOT));
		operation.setSummary("Calls a registered peer's app, signed with this installation's default identity");
		operation.setDescription("{peer}: the peer's id or short id; {app}: a DNS label; the rest of the path and the "
				+ "query are sent on as they are. The peer app's answer comes back as it is.");
		operation.setSecurity(List.of(new SecurityRequirement().addList(RELAY_TOKEN)));
		operation.setParameters(List.of(
				new PathParameter().name("peer").description("The peer's id as registered, or its short id").schema(new StringSchema()),
				new PathParameter().name("app").description("The peer's app, a DNS label").schema(new StringSchema())));
		ApiResponses responses = new ApiResponses();
		responses.addApiResponse("default", new ApiResponse().description("The peer app's answer: its status, body and "
				+ "content headers, streamed (at most 10 MB)."));
		put(responses, 400, "The path could be routed differently by the app (dot segments, '//', ';', encoded "
				+ "separators), or the peer id or app name is malformed.");
		ApiResponse unauthorized = problem("No valid outbound relay token (or the relay is disabled).");
		unauthorized.addHeaderObject("WWW-Authenticate",
				new Header().description("The bearer challenge (RFC 6750).").schema(new StringSchema()));
		responses.addApiResponse("401", unauthorized);
		put(responses, 404, "The peer is not registered.");
		if (method != PathItem.HttpMethod.GET) {
			put(responses, 413, "The request body is larger than 256 KiB.");
			put(responses, 415, "The Content-Type is malformed or a wildcard.");
		}
		put(responses, 502, "The peer is unreachable or announces a body larger than the limit.");
		put(responses, 503, "There is no identity to sign with, or the database is unavailable.");
		put(responses, 504, "The peer accepted no connection or sent no answer in time.");
		operation.setResponses(responses);
	}

	private static void addProblems(String route, String path, PathItem.HttpMethod method, Operation operation) {
		ApiResponses responses = operation.getResponses();
		boolean hasBody = operation.getRequestBody() != null;
		// a PUT that creates (201) takes any name; the default identity is missing until the first is made
		boolean mayBeMissing = (path.contains("{") && !responses.containsKey("201")) || ALSO_NOT_FOUND.contains(path);
		boolean writes = method != PathItem.HttpMethod.GET;
		put(responses, 400, "The path is not in normalized form, or the body is no valid JSON for this operation.");
		if (OPEN.contains(route)) {
			if ("POST /api/terminals/pair".equals(route)) {
				put(responses, 401, "The pairing code is wrong, used or expired.");
				ApiResponse tooMany = problem("Too many pairing attempts from this client; retry after Retry-After seconds.");
				tooMany.addHeaderObject("Retry-After", new Header().description("Seconds to wait before the next attempt.")
					.schema(new IntegerSchema().minimum(BigDecimal.ONE)));
				responses.putIfAbsent("429", tooMany);
			}
		}
		else {
			ApiResponse unauthorized = problem(path.startsWith("/internal/peers/")
					? "No valid outbound relay token (or the relay is disabled)."
					: "No valid admin bearer token.");
			unauthorized.addHeaderObject("WWW-Authenticate",
					new Header().description("The bearer challenge (RFC 6750).").schema(new StringSchema()));
			responses.putIfAbsent("401", unauthorized);
		}
		if (mayBeMissing) {
			put(responses, 404, "Nothing of that name or id.");
		}
		if (writes) {
			put(responses, 409, "The change conflicts with data already stored; nothing was changed.");
		}
		if (hasBody || writes) {
			put(responses, 413, "The request body is larger than 256 KiB.");
			put(responses, 415, "The Content-Type is malformed, a wildcard, or not JSON.");
		}
		if (hasBody) {
			ApiResponse invalid = problem("Well-formed JSON that breaks the rules; errors lists every violation.");
			invalid.getContent()
				.get(PROBLEM_JSON)
				.setExample(Map.of("type", "about:blank", "title", "Unprocessable Content", "status", 422, "detail",
						"name is required", "instance", path, "errors", List.of("name is required")));
			responses.putIfAbsent("422", invalid);
		}
		put(responses, 503, "PostgreSQL or Redis is unavailable; nothing was changed. Retry later.");
	}

	private static void put(ApiResponses responses, int status, String description) {
		responses.putIfAbsent(Integer.toString(status), problem(description));
	}

	private static ApiResponse problem(String description) {
		return new ApiResponse().description(description)
			.content(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(PROBLEM_REF))));
	}

	/** RFC 9457's members as Spring's ProblemDetail writes them, and the admin's {@code errors} list (422). */
	private static Schema<?> problemSchema() {
		ObjectSchema problem = new ObjectSchema();
		problem.description("An RFC 9457 problem detail.")
			.addProperty("type", new StringSchema().description("A URI naming the problem type; about:blank by default."))
			.addProperty("title", new StringSchema().description("The status's reason phrase."))
			.addProperty("status", new IntegerSchema().description("The HTTP status."))
			.addProperty("detail", new StringSchema().description("What was wrong, for a human."))
			.addProperty("instance", new StringSchema().description("The request path."))
			.addProperty("errors", new ArraySchema().items(new StringSchema())
				.description("Every rule the request breaks (422 only)."));
		problem.setRequired(List.of("status"));
		return problem;
	}

	/** A request property not marked required may be left out or sent as null. */
	private static void allowNullForOptionalProperties(Schema<?> schema) {
		if (schema.getProperties() == null) {
			return;
		}
		List<String> required = (schema.getRequired() != null) ? schema.getRequired() : List.of();
		schema.getProperties().forEach((name, raw) -> {
			Schema<?> property = raw;
			boolean plainType = property.get$ref() == null && property.getEnum() == null && property.getTypes() != null
					&& !property.getTypes().isEmpty();
			if (!required.contains(name) && plainType && !property.getTypes().contains("null")) {
				Set<String> types = new LinkedHashSet<>(property.getTypes());
				types.add("null");
				property.setTypes(types);
			}
		});
	}

}
