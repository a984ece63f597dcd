/**
 * App-wide wiring and configuration properties.
 */
package dev.gatehouse.auth.config;
