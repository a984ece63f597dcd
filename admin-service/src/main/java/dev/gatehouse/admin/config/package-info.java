/**
 * App-wide wiring: properties, API authentication and error responses.
 */
package dev.gatehouse.admin.config;
