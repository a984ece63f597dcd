/**
 * Other installations (peers) and what the auth tier needs to verify their signed requests.
 */
package dev.gatehouse.model.peer;
