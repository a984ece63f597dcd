package dev.gatehouse.model.signature;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header fields of a request, looked up by lower-case name: how the signature base reads covered fields
 * and the {@code Signature} and {@code Signature-Input} fields. The auth tier can adapt its request without
 * copying it (a servlet request's {@code getHeaders} is case-insensitive already).
 */
@FunctionalInterface
public interface HeaderFields {

	/**
	 * The values of a field.
	 * @param name the field name, lower-case
	 * @return one value per field line, in message order; empty (never {@code null}) when the field is absent
	 */
	List<String> values(String name);

	/**
	 * Header fields from a map, copied, whose names may be in any case (values of names that differ only in
	 * case are joined in the map's iteration order).
	 * @param fields the values by field name
	 * @return the fields
	 */
	static HeaderFields of(Map<String, ? extends Collection<String>> fields) {
		Map<String, List<String>> copy = new HashMap<>();
		fields.forEach((name, values) -> copy.computeIfAbsent(name.toLowerCase(Locale.ROOT), (key) -> new ArrayList<>())
			.addAll(values));
		copy.replaceAll((name, values) -> List.copyOf(values));
		return (name) -> copy.getOrDefault(name, List.of());
	}

	/**
	 * No header fields at all.
	 * @return the fields
	 */
	static HeaderFields none() {
		return (name) -> List.of();
	}

}
