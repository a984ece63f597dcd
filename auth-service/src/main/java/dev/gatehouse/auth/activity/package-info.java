/**
 * Coalesced app and terminal activity, flushed to a Redis stream off the request thread.
 */
package dev.gatehouse.auth.activity;
