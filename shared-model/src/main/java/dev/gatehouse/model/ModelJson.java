package dev.gatehouse.model;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON form of shared-model records, as stored in L2 entries.
 */
public final class ModelJson {

	private static final JsonMapper MAPPER = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private ModelJson() {
	}

	/**
	 * Serializes a record.
	 * @param value the value
	 * @return its JSON
	 */
	public static String write(Object value) {
		return MAPPER.writeValueAsString(value);
	}

	/**
	 * Deserializes a record.
	 * @param <T> the type
	 * @param json the JSON
	 * @param type the record class
	 * @return the value
	 */
	public static <T> T read(String json, Class<T> type) {
		return MAPPER.readValue(json, type);
	}

	/**
	 * Deserializes a generic value, such as a map of records.
	 * @param <T> the type
	 * @param json the JSON
	 * @param type the type
	 * @return the value
	 */
	public static <T> T read(String json, TypeReference<T> type) {
		return MAPPER.readValue(json, type);
	}

}
