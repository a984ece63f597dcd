/**
 * Paired devices (terminals) and the HS256 tokens that prove them.
 */
package dev.gatehouse.model.terminal;
