package dev.gatehouse.model.app;

/**
 * The values a header template may use.
 */
public enum TemplateVariable {

	AUTH_CLIENT_TYPE("auth.client_type"),
	AUTH_CLIENT_ID("auth.client_id"),
	AUTH_CLIENT_NAME("auth.client_name"),
	PORTAL_ID("portal.id"),
	PORTAL_SHORT_ID("portal.short_id"),
	PORTAL_DOMAIN("portal.domain"),
	PORTAL_PUBLIC_KEY_PEM("portal.public_key_pem"),
	PORTAL_NAME("portal.name"),
	PORTAL_EMAIL("portal.email");

	private final String expression;

	TemplateVariable(String expression) {
		this.expression = expression;
	}

	/**
	 * The name written between the braces, e.g. {@code auth.client_name}.
	 * @return the expression
	 */
	public String expression() {
		return this.expression;
	}

	static TemplateVariable fromExpression(String expression) {
		for (TemplateVariable variable : values()) {
			if (variable.expression.equals(expression)) {
				return variable;
			}
		}
		return null;
	}

}
