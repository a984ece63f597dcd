/**
 * The forwardAuth endpoints and the decision: forwarded-request parsing, path rules, identity headers.
 */
package dev.gatehouse.auth.forwardauth;
