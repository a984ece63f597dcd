/**
 * Paired devices (terminals) and the ES256 tokens that prove them, one audience per use.
 */
package dev.gatehouse.model.terminal;
