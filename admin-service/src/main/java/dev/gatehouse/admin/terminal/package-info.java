/**
 * Pairing codes, paired terminals and the terminal-token signing key.
 */
package dev.gatehouse.admin.terminal;
