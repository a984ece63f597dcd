/**
 * App-wide wiring: properties, the clock, Redis keys and error responses.
 */
package dev.gatehouse.admin.config;
